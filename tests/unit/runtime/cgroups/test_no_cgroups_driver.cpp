// The driver of a rootless container without a delegated cgroup: picked when there is no
// delegation, recorded in state.json; limits and a cgroupsPath are refused before anything is made.
#include <gtest/gtest.h>

#include "runtime/cgroups/driver.hpp"
#include "runtime/cgroups/no_cgroups_driver.hpp"

using namespace minirun;
using namespace minirun::runtime;

// What cgroup_driver_for says for a rootless container whose cgroup would lie where its user
// may not write.
const sys::Error kUndelegated =
    sys::Error::plain("cgroup", "/sys/fs/cgroup is not writable by uid 1000");

TEST(NoCgroupsDriver, RootlessWithoutDelegationPicksItAndStateJsonKeepsTheChoice) {
  auto driver = rootless_cgroup_driver(&kUndelegated, spec::Linux{});
  ASSERT_TRUE(driver);
  EXPECT_EQ(*driver, &no_cgroups_driver());

  spec::State state;
  state.cgroup_driver = (*driver)->name();
  auto back = spec::state_from_stored_json(spec::state_to_stored_json(state));
  EXPECT_EQ(&cgroup_driver_of(back), &no_cgroups_driver());
  // A state.json from before the field: cgroupfs made it.
  EXPECT_STREQ(cgroup_driver_of(spec::State{}).name(), "cgroupfs");
}

TEST(NoCgroupsDriver, PlansNothing) {
  spec::Config config;
  config.linux.emplace();
  config.linux->resources.emplace();
  config.linux->resources->devices.push_back({});  // device rules alone are no limit
  ASSERT_EQ(*rootless_cgroup_driver(&kUndelegated, *config.linux), &no_cgroups_driver());
  auto plan = no_cgroups_driver().plan(config, "c1");
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->paths.empty());
  EXPECT_TRUE(plan->writes.empty());
}

TEST(NoCgroupsDriver, LimitsWithoutDelegationAreRefusedInOneLineWithTheReason) {
  spec::Linux linux;
  linux.resources.emplace();
  linux.resources->pidsLimit = 10;
  auto driver = rootless_cgroup_driver(&kUndelegated, linux);
  ASSERT_FALSE(driver);
  const std::string said = driver.error().describe();
  EXPECT_NE(said.find("/linux/resources"), std::string::npos) << said;
  EXPECT_NE(said.find("not writable by uid 1000"), std::string::npos) << said;
  EXPECT_EQ(said.find('\n'), std::string::npos) << said;
}

TEST(NoCgroupsDriver, ACgroupsPathWithoutDelegationIsRefusedAsRuncDoes) {
  spec::Linux linux;
  linux.cgroupsPath = "/mine";
  auto driver = rootless_cgroup_driver(&kUndelegated, linux);
  ASSERT_FALSE(driver);
  EXPECT_NE(driver.error().describe().find("/linux/cgroupsPath"), std::string::npos)
      << driver.error().describe();
}

TEST(NoCgroupsDriver, DelegationPicksTheDelegatedDriver) {
  spec::Linux linux;
  linux.resources.emplace();
  linux.resources->pidsLimit = 10;
  auto driver = rootless_cgroup_driver(nullptr, linux);
  ASSERT_TRUE(driver);
  EXPECT_STREQ((*driver)->name(), "delegated");
  spec::State state;
  state.cgroup_driver = "delegated";
  EXPECT_EQ(&cgroup_driver_of(state), *driver);
}

TEST(NoCgroupsDriver, VerbsThatNeedACgroupSaySo) {
  auto pids = no_cgroups_driver().pids({});
  ASSERT_FALSE(pids);
  EXPECT_NE(pids.error().describe().find("no cgroup"), std::string::npos);
  EXPECT_FALSE(no_cgroups_driver().freeze({}));
}
