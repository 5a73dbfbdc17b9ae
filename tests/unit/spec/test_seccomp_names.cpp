#include <gtest/gtest.h>

#include <set>
#include <string>

#include "spec/seccomp_names.hpp"

namespace minirun::spec {
namespace {

template <typename Table>
bool names_unique(const Table& table) {
  std::set<std::string_view> seen;
  for (const auto& e : table)
    if (!seen.insert(e.name).second) return false;
  return true;
}

TEST(SeccompNames, EachTableNamesEachEntryOnce) {
  EXPECT_TRUE(names_unique(seccomp_actions()));
  EXPECT_TRUE(names_unique(seccomp_operators()));
  EXPECT_TRUE(names_unique(seccomp_architectures()));
  EXPECT_TRUE(names_unique(seccomp_flags()));
}

TEST(SeccompNames, KillIsKillThreadAsInRunc) {
  EXPECT_EQ(find_seccomp_action("SCMP_ACT_KILL")->value,
            find_seccomp_action("SCMP_ACT_KILL_THREAD")->value);
  EXPECT_TRUE(find_seccomp_action("SCMP_ACT_ERRNO")->takes_data);
  EXPECT_FALSE(find_seccomp_action("SCMP_ACT_NOTIFY")->supported);
  EXPECT_EQ(find_seccomp_action("SCMP_ACT_NOPE"), nullptr);
}

TEST(SeccompNames, WaitKillableRecvIsKnownButNotSupported) {
  bool found = false;
  for (const auto& flag : seccomp_flags())
    if (flag.name == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") {
      found = true;
      EXPECT_FALSE(flag.supported);
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(seccomp_name_value(seccomp_flags(), "SECCOMP_FILTER_FLAG_LOG"), 2u);
}

}  // namespace
}  // namespace minirun::spec
