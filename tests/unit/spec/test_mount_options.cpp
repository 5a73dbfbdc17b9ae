#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "spec/mount_options.hpp"

using minirun::spec::is_bind_mount;
using minirun::spec::MountOptions;
using minirun::spec::parse_mount_options;
using minirun::spec::propagation_flag;
using minirun::spec::remount_flags_from_statvfs;

TEST(MountOptions, RuncSpecTmpfsDev) {
  MountOptions o = parse_mount_options({"nosuid", "strictatime", "mode=755", "size=65536k"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
  EXPECT_EQ(o.data, "mode=755,size=65536k");
  EXPECT_TRUE(o.propagation.empty());
  EXPECT_FALSE(o.is_bind());
}

TEST(MountOptions, DevptsDataKeepsOrder) {
  MountOptions o = parse_mount_options(
      {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC));
  EXPECT_EQ(o.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
}

TEST(MountOptions, EveryFlagOption) {
  struct Case {
    const char* name;
    unsigned long flag;
  };
  const Case cases[] = {
      {"ro", MS_RDONLY},
      {"nosuid", MS_NOSUID},
      {"nodev", MS_NODEV},
      {"noexec", MS_NOEXEC},
      {"sync", MS_SYNCHRONOUS},
      {"dirsync", MS_DIRSYNC},
      {"remount", MS_REMOUNT},
      {"mand", MS_MANDLOCK},
      {"noatime", MS_NOATIME},
      {"nodiratime", MS_NODIRATIME},
      {"relatime", MS_RELATIME},
      {"strictatime", MS_STRICTATIME},
      {"bind", MS_BIND},
      {"rbind", MS_BIND | MS_REC},
      {"nosymfollow", MS_NOSYMFOLLOW},
  };
  for (const auto& c : cases) {
    MountOptions o = parse_mount_options({c.name});
    EXPECT_EQ(o.flags, c.flag) << c.name;
    EXPECT_EQ(o.data, "") << c.name;
  }
}

TEST(MountOptions, ClearingOptionsUndoAndAreRemembered) {
  struct Case {
    const char* set;
    const char* clear;
    unsigned long flag;
  };
  const Case cases[] = {
      {"ro", "rw", MS_RDONLY},
      {"nosuid", "suid", MS_NOSUID},
      {"nodev", "dev", MS_NODEV},
      {"noexec", "exec", MS_NOEXEC},
      {"sync", "async", MS_SYNCHRONOUS},
      {"mand", "nomand", MS_MANDLOCK},
      {"noatime", "atime", MS_NOATIME},
      {"nodiratime", "diratime", MS_NODIRATIME},
      {"relatime", "norelatime", MS_RELATIME},
      {"strictatime", "nostrictatime", MS_STRICTATIME},
  };
  for (const auto& c : cases) {
    MountOptions o = parse_mount_options({c.set, c.clear});
    EXPECT_EQ(o.flags, 0ul) << c.clear;
    EXPECT_EQ(o.cleared, c.flag) << c.clear;
    MountOptions again = parse_mount_options({c.clear, c.set});
    EXPECT_EQ(again.flags, c.flag) << c.set;
    EXPECT_EQ(again.cleared, 0ul) << c.set;
  }
}

TEST(MountOptions, DefaultsIsNoFlag) {
  MountOptions o = parse_mount_options({"defaults"});
  EXPECT_EQ(o.flags, 0ul);
  EXPECT_EQ(o.data, "");
}

TEST(MountOptions, PropagationIsSeparateAndOrdered) {
  MountOptions o = parse_mount_options({"rbind", "rprivate", "ro", "shared", "runbindable"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_BIND | MS_REC | MS_RDONLY));
  ASSERT_EQ(o.propagation.size(), 3u);
  EXPECT_EQ(o.propagation[0], static_cast<unsigned long>(MS_PRIVATE | MS_REC));
  EXPECT_EQ(o.propagation[1], static_cast<unsigned long>(MS_SHARED));
  EXPECT_EQ(o.propagation[2], static_cast<unsigned long>(MS_UNBINDABLE | MS_REC));
  EXPECT_TRUE(o.is_bind());
  EXPECT_TRUE(o.is_recursive_bind());
  EXPECT_TRUE(o.bind_needs_remount());
}

TEST(MountOptions, PlainBindNeedsNoRemount) {
  EXPECT_FALSE(parse_mount_options({"bind"}).bind_needs_remount());
  EXPECT_FALSE(parse_mount_options({"rbind", "rprivate"}).bind_needs_remount());
  EXPECT_TRUE(parse_mount_options({"bind", "nosuid"}).bind_needs_remount());
  EXPECT_FALSE(parse_mount_options({"bind"}).is_recursive_bind());
  EXPECT_FALSE(parse_mount_options({"nosuid"}).bind_needs_remount());
}

TEST(MountOptions, TmpcopyupIsRecognisedNotData) {
  MountOptions o = parse_mount_options({"tmpcopyup", "size=1m"});
  EXPECT_TRUE(o.tmpcopyup);
  EXPECT_EQ(o.data, "size=1m");
}

TEST(MountOptions, UnknownOptionsBecomeData) {
  MountOptions o = parse_mount_options({"ro", "lowerdir=/a:/b", "", "xino=off", "idmap"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(o.data, "lowerdir=/a:/b,xino=off,idmap");
}

TEST(MountOptions, RecursiveAttributes) {
  MountOptions o = parse_mount_options({"rbind", "rro", "rnosuid", "rnoatime"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_BIND | MS_REC));
  EXPECT_EQ(o.attr_set,
            static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME));
  EXPECT_EQ(o.attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  EXPECT_EQ(o.data, "");
}

TEST(MountOptions, RecursiveLastOneWins) {
  MountOptions o = parse_mount_options({"rro", "rrw"});
  EXPECT_EQ(o.attr_set, 0u);
  EXPECT_EQ(o.attr_clr, static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
  o = parse_mount_options({"rrw", "rro"});
  EXPECT_EQ(o.attr_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY));
  EXPECT_EQ(o.attr_clr, 0u);
  o = parse_mount_options({"rnoatime", "rstrictatime"});
  EXPECT_EQ(o.attr_set, static_cast<uint64_t>(MOUNT_ATTR_STRICTATIME));
  EXPECT_EQ(o.attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
  o = parse_mount_options({"rnoatime", "rrelatime"});
  EXPECT_EQ(o.attr_set, static_cast<uint64_t>(MOUNT_ATTR_RELATIME));
  EXPECT_EQ(o.attr_clr, static_cast<uint64_t>(MOUNT_ATTR__ATIME));
}

TEST(PropagationFlag, AllNames) {
  EXPECT_EQ(propagation_flag("private"), MS_PRIVATE);
  EXPECT_EQ(propagation_flag("rprivate"), MS_PRIVATE | MS_REC);
  EXPECT_EQ(propagation_flag("shared"), MS_SHARED);
  EXPECT_EQ(propagation_flag("rshared"), MS_SHARED | MS_REC);
  EXPECT_EQ(propagation_flag("slave"), MS_SLAVE);
  EXPECT_EQ(propagation_flag("rslave"), MS_SLAVE | MS_REC);
  EXPECT_EQ(propagation_flag("unbindable"), MS_UNBINDABLE);
  EXPECT_EQ(propagation_flag("runbindable"), MS_UNBINDABLE | MS_REC);
  EXPECT_EQ(propagation_flag("ro"), std::nullopt);
  EXPECT_EQ(propagation_flag(""), std::nullopt);
}

TEST(RemountFlagsFromStatvfs, KeepsLockedFlagsAndAtimeMode) {
  EXPECT_EQ(remount_flags_from_statvfs(ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME),
            static_cast<unsigned long>(MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME));
  EXPECT_EQ(remount_flags_from_statvfs(ST_RDONLY | ST_NOATIME | ST_NODIRATIME),
            static_cast<unsigned long>(MS_RDONLY | MS_NOATIME | MS_NODIRATIME));
  // Neither noatime nor relatime: strictatime, which a remount must name to keep.
  EXPECT_EQ(remount_flags_from_statvfs(0), static_cast<unsigned long>(MS_STRICTATIME));
}

TEST(MountOptions, ABindIsItsTypeOrABindOption) {
  EXPECT_TRUE(is_bind_mount({"/a", "bind", "/src", {}, {}, {}}));
  EXPECT_TRUE(is_bind_mount({"/a", "none", "/src", {"ro", "rbind"}, {}, {}}));
  EXPECT_TRUE(is_bind_mount({"/a", "", "/src", {"bind"}, {}, {}}));
  EXPECT_FALSE(is_bind_mount({"/a", "tmpfs", "tmpfs", {"ro", "bindx"}, {}, {}}));
}
