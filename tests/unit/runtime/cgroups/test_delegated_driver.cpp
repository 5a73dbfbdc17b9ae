// The delegated cgroup2 driver's placement and plan, without a cgroupfs: where a rootless
// container's cgroup goes, what it may be given, and the refusals that come before anything
// is made.
#include <gtest/gtest.h>

#include "runtime/cgroups/delegated_driver.hpp"
#include "runtime/cgroups/paths.hpp"

using namespace minirun;
using namespace minirun::runtime;

namespace {

Delegation place_at(const std::string& dir, const std::string& existing) {
  Delegation place;
  place.unified.mount_point = "/sys/fs/cgroup";
  place.unified.root = "/";
  place.unified.own_path = "/user/shell";
  place.dir = dir;
  place.existing = existing;
  return place;
}

spec::Config with_hugetlb_limit() {
  spec::Config config;
  config.linux.emplace();
  config.linux->resources.emplace();
  config.linux->resources->hugepageLimits.push_back({"2MB", 4 << 20});
  return config;
}

}  // namespace

TEST(RootlessCgroupPath, IsBesideTheCallersOwnCgroupAsRuncsFs2ManagerPlacesIt) {
  EXPECT_EQ(rootless_cgroup_path(std::nullopt, "c1", "/user/shell"), "/user/c1");
  EXPECT_EQ(rootless_cgroup_path(std::string(""), "c1", "/"), "/c1");
  EXPECT_EQ(rootless_cgroup_path(std::string("/user/c1"), "c1", "/user/shell"), "/user/c1");
  EXPECT_EQ(rootless_cgroup_path(std::string("x/c1"), "c1", "/user/shell"), "/user/x/c1");
  EXPECT_EQ(rootless_cgroup_path(std::string("../c1"), "c1", "/user/shell"), "/user/c1");
}

TEST(CommonAncestor, IsTheDeepestCgroupHoldingBoth) {
  EXPECT_EQ(common_ancestor("/a/b/c", "/a/d"), "/a");
  EXPECT_EQ(common_ancestor("/a/b", "/a/b/c"), "/a/b");
  EXPECT_EQ(common_ancestor("/a/bc", "/a/b"), "/a");
  EXPECT_EQ(common_ancestor("/", "/a"), "/");
  EXPECT_EQ(common_ancestor("/x", "/y"), "/");
}

TEST(DelegatedPlan, OneCgroup2DirectoryWithTheLimitsAndNoDeviceRules) {
  spec::Config config = with_hugetlb_limit();
  config.linux->resources->devices.push_back({false, "a", std::nullopt, std::nullopt, "rwm"});
  auto plan = plan_delegated_cgroup(place_at("/sys/fs/cgroup/user/c1", "/sys/fs/cgroup/user"),
                                    {{"hugetlb", "pids"}, {}, false}, config);
  ASSERT_TRUE(plan) << plan.error().describe();
  ASSERT_EQ(plan->paths.size(), 1u);
  EXPECT_EQ(plan->paths.at(kUnifiedKey), "/sys/fs/cgroup/user/c1");
  ASSERT_EQ(plan->writes.size(), 1u);
  EXPECT_EQ(plan->writes[0].dir, "/sys/fs/cgroup/user/c1");
  EXPECT_EQ(plan->writes[0].write.file, "hugetlb.2MB.max");
  EXPECT_EQ(plan->writes[0].write.value, std::to_string(4 << 20));
  EXPECT_TRUE(plan->v2_device_rules.empty());
}

TEST(DelegatedPlan, AControllerTheSubtreeLacksIsNamedWithTheSubtree) {
  spec::Config config;
  config.linux.emplace();
  config.linux->resources.emplace();
  config.linux->resources->memory.emplace();
  config.linux->resources->memory->limit = 64 << 20;
  auto plan = plan_delegated_cgroup(place_at("/sys/fs/cgroup/user/c1", "/sys/fs/cgroup/user"),
                                    {{"hugetlb"}, {}, false}, config);
  ASSERT_FALSE(plan);
  const std::string said = plan.error().describe();
  EXPECT_NE(said.find("\"memory\" is not available in the delegated cgroup /sys/fs/cgroup/user"),
            std::string::npos)
      << said;
}

TEST(DelegatedPlan, BelowACgroupWithProcessesOnlyWhatItPassesOnIsUsable) {
  const Delegation below_shell =
      place_at("/sys/fs/cgroup/user/shell/c1", "/sys/fs/cgroup/user/shell");
  auto refused = plan_delegated_cgroup(below_shell, {{"hugetlb"}, {}, true}, with_hugetlb_limit());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().describe().find("holds processes"), std::string::npos)
      << refused.error().describe();
  EXPECT_NE(refused.error().describe().find("linux.cgroupsPath"), std::string::npos);
  // Passed on already (enabled before the caller moved in): usable.
  EXPECT_TRUE(
      plan_delegated_cgroup(below_shell, {{"hugetlb"}, {"hugetlb"}, true}, with_hugetlb_limit()));
  // Nothing asked of a controller: nothing to pass on.
  EXPECT_TRUE(plan_delegated_cgroup(below_shell, {{"hugetlb"}, {}, true}, spec::Config{}));
}
