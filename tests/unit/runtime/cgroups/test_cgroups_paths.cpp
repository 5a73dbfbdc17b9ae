// Host detection from mountinfo + /proc/self/cgroup, and cgroupsPath resolution.
#include <gtest/gtest.h>

#include "runtime/cgroups/host.hpp"
#include "runtime/cgroups/paths.hpp"

using namespace minirun::runtime;

namespace {

std::vector<MountInfoEntry> mounts(const std::vector<std::string>& lines) {
  std::vector<MountInfoEntry> out;
  for (const auto& line : lines) out.push_back(*parse_mountinfo_line(line));
  return out;
}

// This VM's layout: v1 controllers each on their own, name=systemd, cgroup2 at unified.
const std::vector<std::string> kHybrid = {
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
    "36 31 0:33 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children",
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
};
const char* kHybridOwn =
    "9:name=systemd:/\n4:memory:/process_api/abc\n3:cpuset:/\n1:cpu,cpuacct:/\n0::/\n";

}  // namespace

TEST(CgroupHost, DetectsHybrid) {
  auto host = detect_cgroup_host(mounts(kHybrid), kHybridOwn);
  EXPECT_FALSE(host.pure_v2);
  ASSERT_TRUE(host.unified);
  EXPECT_EQ(host.unified->mount_point, "/sys/fs/cgroup/unified");
  ASSERT_EQ(host.v1.size(), 4u);
  EXPECT_EQ(host.v1[0].controllers, (std::set<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(host.v1[1].own_path, "/process_api/abc");
  EXPECT_EQ(host.v1[2].controllers, (std::set<std::string>{"cpuset"}));
  EXPECT_EQ(host.v1[3].controllers, (std::set<std::string>{"name=systemd"}));
}

TEST(CgroupHost, DetectsPureV2) {
  auto host = detect_cgroup_host(
      mounts({"30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"}),
      "0::/user.slice/session-1.scope\n");
  EXPECT_TRUE(host.pure_v2);
  EXPECT_TRUE(host.v1.empty());
  ASSERT_TRUE(host.unified);
  EXPECT_EQ(host.unified->own_path, "/user.slice/session-1.scope");
}

TEST(CgroupHost, PureV2FromProcSelfCgroupAloneMatchesTheMountinfoReading) {
  const char* own = "0::/user.slice/session-1.scope\n";
  auto fast = pure_v2_host(own);
  auto full = detect_cgroup_host(
      mounts({"30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"}), own);
  EXPECT_TRUE(fast.pure_v2);
  EXPECT_TRUE(fast.v1.empty());
  ASSERT_TRUE(fast.unified);
  EXPECT_EQ(fast.unified->mount_point, full.unified->mount_point);
  EXPECT_EQ(fast.unified->root, full.unified->root);
  EXPECT_EQ(fast.unified->own_path, full.unified->own_path);
  EXPECT_EQ(pure_v2_host("").unified->own_path, "/");
}

TEST(CgroupHost, PrefersTheMountShowingTheRoot) {
  auto host = detect_cgroup_host(
      mounts({"50 40 0:32 /docker/x /mnt/memory rw - cgroup cgroup rw,memory",
              "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"}),
      "4:memory:/\n");
  ASSERT_EQ(host.v1.size(), 1u);
  EXPECT_EQ(host.v1[0].mount_point, "/sys/fs/cgroup/memory");
}

TEST(CgroupsPath, RuncRules) {
  EXPECT_EQ(container_cgroup_path(std::nullopt, "c1", "/own"), "/minirun/c1");
  EXPECT_EQ(container_cgroup_path(std::string(""), "c1", "/own"), "/minirun/c1");
  EXPECT_EQ(container_cgroup_path(std::string("/a/b/"), "c1", "/own"), "/a/b");
  EXPECT_EQ(container_cgroup_path(std::string("x/y"), "c1", "/own"), "/own/x/y");
  EXPECT_EQ(container_cgroup_path(std::string("x"), "c1", "/"), "/x");
}

TEST(CgroupsPath, OneDirectoryPerHierarchy) {
  auto host = detect_cgroup_host(mounts(kHybrid), kHybridOwn);
  auto abs = resolve_cgroup_paths(host, std::string("/pod/c1"), "c1");
  EXPECT_EQ(abs.at("memory"), "/sys/fs/cgroup/memory/pod/c1");
  EXPECT_EQ(abs.at("cpu"), "/sys/fs/cgroup/cpu,cpuacct/pod/c1");
  EXPECT_EQ(abs.at("cpuacct"), "/sys/fs/cgroup/cpu,cpuacct/pod/c1");
  EXPECT_EQ(abs.at("name=systemd"), "/sys/fs/cgroup/systemd/pod/c1");
  EXPECT_EQ(abs.at(kUnifiedKey), "/sys/fs/cgroup/unified/pod/c1");
  EXPECT_EQ(distinct_dirs(abs).size(), 5u);

  // Relative: under the runtime's own cgroup in each hierarchy.
  auto rel = resolve_cgroup_paths(host, std::string("c1"), "c1");
  EXPECT_EQ(rel.at("memory"), "/sys/fs/cgroup/memory/process_api/abc/c1");
  EXPECT_EQ(rel.at("cpuset"), "/sys/fs/cgroup/cpuset/c1");
}

TEST(CgroupsPath, MountFromADeeperRoot) {
  auto host = detect_cgroup_host(
      mounts({"35 31 0:32 /docker/x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"}),
      "4:memory:/docker/x\n");
  auto rel = resolve_cgroup_paths(host, std::string("c1"), "c1");
  EXPECT_EQ(rel.at("memory"), "/sys/fs/cgroup/memory/c1");
  // An absolute path outside what the mount shows: that hierarchy is left out.
  EXPECT_TRUE(resolve_cgroup_paths(host, std::string("/elsewhere"), "c1").empty());
}

TEST(CgroupHost, MountControllersSkipOptions) {
  EXPECT_EQ(v1_mount_controllers("rw,cpu,cpuacct,release_agent=/x,clone_children"),
            (std::set<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(v1_mount_controllers("rw,memory"), (std::set<std::string>{"memory"}));
  EXPECT_EQ(v1_mount_controllers("rw,xattr,name=systemd"), (std::set<std::string>{"name=systemd"}));
}
