#include <gtest/gtest.h>

#include <cerrno>

#include "runtime/sys/error.hpp"

namespace minirun::sys {
namespace {

TEST(Error, WithinPutsTheOuterStepFirstAndKeepsTheInnerOne) {
  Error inner{"cgroup", "open /sys/fs/cgroup/x/cpu.max", EACCES};
  Error outer = inner.within("update", "apply resources");
  EXPECT_EQ(outer.step, "update");
  EXPECT_EQ(outer.errnum, EACCES);
  EXPECT_EQ(outer.describe(),
            "update: apply resources: cgroup: open /sys/fs/cgroup/x/cpu.max: Permission denied");
}

TEST(Error, WithinTheSameStepDoesNotRepeatIt) {
  Error inner{"sysctl", "open net/ipv4/ip_forward", EROFS};
  EXPECT_EQ(inner.within("sysctl", "write net.ipv4.ip_forward = \"1\"").describe(),
            "sysctl: write net.ipv4.ip_forward = \"1\": open net/ipv4/ip_forward: Read-only file "
            "system");
}

}  // namespace
}  // namespace minirun::sys
