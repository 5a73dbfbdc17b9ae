#include <gtest/gtest.h>
#include <sched.h>

#include <set>

#include "spec/namespace_kinds.hpp"

namespace minirun::spec {
namespace {

TEST(NamespaceKinds, EveryTypeHasOneEntryWithItsOwnCloneFlag) {
  std::set<int> flags;
  for (auto type :
       {NamespaceType::pid, NamespaceType::network, NamespaceType::mount, NamespaceType::ipc,
        NamespaceType::uts, NamespaceType::user, NamespaceType::cgroup, NamespaceType::time}) {
    const NamespaceKind& kind = namespace_kind(type);
    EXPECT_EQ(kind.type, type);
    EXPECT_EQ(namespace_type_from_name(kind.name), type);
    flags.insert(kind.clone_flag);
  }
  EXPECT_EQ(flags.size(), namespace_kinds().size());
  EXPECT_EQ(namespace_kind(NamespaceType::network).clone_flag, CLONE_NEWNET);
  EXPECT_EQ(namespace_kind(NamespaceType::network).proc_name, "net");
  EXPECT_EQ(namespace_kind(NamespaceType::mount).proc_name, "mnt");
}

TEST(NamespaceKinds, JoiningOrderIsUserFirstAndMountLast) {
  auto kinds = namespace_kinds();
  EXPECT_EQ(kinds.front().type, NamespaceType::user);
  EXPECT_EQ(kinds.back().type, NamespaceType::mount);
}

TEST(NamespaceKinds, SysfsProcAndMqueueShowTheirNamespaces) {
  EXPECT_EQ(namespace_a_filesystem_shows("sysfs"), NamespaceType::network);
  EXPECT_EQ(namespace_a_filesystem_shows("proc"), NamespaceType::pid);
  EXPECT_EQ(namespace_a_filesystem_shows("mqueue"), NamespaceType::ipc);
  EXPECT_EQ(namespace_a_filesystem_shows("tmpfs"), std::nullopt);
  EXPECT_EQ(namespace_a_filesystem_shows("bind"), std::nullopt);
}

TEST(NamespaceKinds, UnknownNameIsNotAType) {
  EXPECT_EQ(namespace_type_from_name("net"), std::nullopt);
  EXPECT_EQ(namespace_type_from_name(""), std::nullopt);
}

}  // namespace
}  // namespace minirun::spec
