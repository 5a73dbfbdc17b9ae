// The driver of a rootless container without a delegated cgroup: picked by the rootless flag,
// recorded in state.json, and refusing limits before anything is made.
#include <gtest/gtest.h>

#include "runtime/cgroups/driver.hpp"
#include "runtime/cgroups/no_cgroups_driver.hpp"

using namespace minirun;
using namespace minirun::runtime;

TEST(NoCgroupsDriver, RootlessPicksItAndStateJsonKeepsTheChoice) {
  CgroupManagerFlags rootless;
  rootless.rootless = true;
  auto driver = cgroup_driver_for(rootless);
  ASSERT_TRUE(driver);
  EXPECT_EQ(*driver, &no_cgroups_driver());

  spec::State state;
  state.cgroup_driver = (*driver)->name();
  auto back = spec::state_from_stored_json(spec::state_to_stored_json(state));
  EXPECT_EQ(&cgroup_driver_of(back), &no_cgroups_driver());
  // A state.json from before the field: cgroupfs made it.
  EXPECT_STREQ(cgroup_driver_of(spec::State{}).name(), "cgroupfs");
}

TEST(NoCgroupsDriver, PlansNothingWithoutLimits) {
  spec::Config config;
  config.linux.emplace();
  config.linux->cgroupsPath = "/mine";
  config.linux->resources.emplace();
  config.linux->resources->devices.push_back({});  // device rules alone are no limit
  auto plan = no_cgroups_driver().plan(config, "c1");
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->paths.empty());
  EXPECT_TRUE(plan->writes.empty());
}

TEST(NoCgroupsDriver, RefusesLimitsInOneLine) {
  spec::Config config;
  config.linux.emplace();
  config.linux->resources.emplace();
  config.linux->resources->pidsLimit = 10;
  auto plan = no_cgroups_driver().plan(config, "c1");
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().describe().find("/linux/resources"), std::string::npos)
      << plan.error().describe();
}

TEST(NoCgroupsDriver, VerbsThatNeedACgroupSaySo) {
  auto pids = no_cgroups_driver().pids({});
  ASSERT_FALSE(pids);
  EXPECT_NE(pids.error().describe().find("no cgroup"), std::string::npos);
  EXPECT_FALSE(no_cgroups_driver().freeze({}));
}
