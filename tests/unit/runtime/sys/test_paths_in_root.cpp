#include <gtest/gtest.h>

#include "runtime/sys/mountinfo.hpp"
#include "runtime/sys/paths_in_root.hpp"

using namespace minirun::runtime;

TEST(CleanPath, Lexical) {
  EXPECT_EQ(clean_path(""), "/");
  EXPECT_EQ(clean_path("/"), "/");
  EXPECT_EQ(clean_path("dev/shm"), "/dev/shm");
  EXPECT_EQ(clean_path("/a//b/./c/"), "/a/b/c");
  EXPECT_EQ(clean_path("/a/b/../c"), "/a/c");
  EXPECT_EQ(clean_path("/../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(clean_path("../.."), "/");
}

TEST(CleanPath, ParentAndBase) {
  EXPECT_EQ(parent_path("/a/b/c"), "/a/b");
  EXPECT_EQ(parent_path("/a"), "/");
  EXPECT_EQ(parent_path("/"), "/");
  EXPECT_EQ(base_name("/a/b/c"), "c");
  EXPECT_EQ(base_name("/"), "");
}

TEST(Mountinfo, ParsesOptionalFieldsAndEscapes) {
  auto e = parse_mountinfo_line(
      "36 35 98:0 /mnt1 /mnt\\040two rw,noatime master:1 shared:7 - ext3 /dev/root "
      "rw,errors=continue");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, 36u);
  EXPECT_EQ(e->parent_id, 35u);
  EXPECT_EQ(e->root, "/mnt1");
  EXPECT_EQ(e->mount_point, "/mnt two");
  EXPECT_EQ(e->mount_options, "rw,noatime");
  ASSERT_EQ(e->optional_fields.size(), 2u);
  EXPECT_TRUE(e->is_shared());
  EXPECT_EQ(e->fs_type, "ext3");
  EXPECT_EQ(e->source, "/dev/root");
  EXPECT_EQ(e->super_options, "rw,errors=continue");
}

TEST(Mountinfo, NoOptionalFields) {
  auto e =
      parse_mountinfo_line("30 25 0:26 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->is_shared());
  EXPECT_EQ(e->fs_type, "cgroup");
  EXPECT_EQ(e->super_options, "rw,cpu");
  EXPECT_FALSE(parse_mountinfo_line("garbage"));
  EXPECT_FALSE(parse_mountinfo_line("1 2 3:4 / /x rw a b c d"));
  EXPECT_FALSE(parse_mountinfo_line("x 25 0:26 / /a rw - cgroup cgroup rw"));
}

TEST(Mountinfo, MountContaining) {
  std::vector<MountInfoEntry> mounts(4);
  mounts[0].mount_point = "/";
  mounts[1].mount_point = "/var";
  mounts[2].mount_point = "/var/lib";
  mounts[3].mount_point = "/var";  // stacked on top of mounts[1]
  EXPECT_EQ(mount_containing(mounts, "/var/lib/x"), &mounts[2]);
  EXPECT_EQ(mount_containing(mounts, "/var/libx"), &mounts[3]);
  EXPECT_EQ(mount_containing(mounts, "/etc"), &mounts[0]);
  EXPECT_TRUE(path_is_within("/a/b", "/a"));
  EXPECT_TRUE(path_is_within("/a", "/a"));
  EXPECT_FALSE(path_is_within("/ab", "/a"));
  EXPECT_TRUE(path_is_within("/x", "/"));
}

TEST(Mountinfo, LaterMountAtOrAboveAPathHidesIt) {
  auto entry = [](std::string point, std::string type) {
    MountInfoEntry e;
    e.mount_point = std::move(point);
    e.fs_type = std::move(type);
    return e;
  };
  // A v1 layout, then a cgroup2 mounted over /sys/fs/cgroup (a private "pure v2" namespace).
  std::vector<MountInfoEntry> mounts = {
      entry("/sys/fs/cgroup", "tmpfs"), entry("/sys/fs/cgroup/cpu", "cgroup"),
      entry("/sys/fs/cgroup/unified", "cgroup2"), entry("/sys/fs/cgroup", "cgroup2"),
      entry("/sys/fs/cgroup/x", "tmpfs")};
  auto visible = visible_mounts(mounts);
  ASSERT_EQ(visible.size(), 2u);
  EXPECT_EQ(visible[0].fs_type, "cgroup2");
  EXPECT_EQ(visible[0].mount_point, "/sys/fs/cgroup");
  EXPECT_EQ(visible[1].mount_point, "/sys/fs/cgroup/x");
}
