#include <gtest/gtest.h>

#include "spec/hook_kinds.hpp"

namespace minirun::spec {
namespace {

TEST(HookKinds, TableIsIndexedByKind) {
  for (const auto& info : hook_kinds()) EXPECT_EQ(&hook_kind_info(info.kind), &info) << info.name;
}

TEST(HookKinds, NamesListsAndStatuses) {
  Hooks hooks;
  hooks.poststop.push_back({"/bin/true", {}, {}, {}});
  const auto& poststop = hook_kind_info(HookKind::poststop);
  EXPECT_EQ(poststop.name, "poststop");
  EXPECT_EQ((hooks.*poststop.list).size(), 1u);
  EXPECT_EQ(poststop.state_status, ContainerStatus::stopped);
  EXPECT_EQ(hook_kind_info(HookKind::createContainer).state_status, ContainerStatus::creating);
  EXPECT_EQ(hook_kind_info(HookKind::startContainer).state_status, ContainerStatus::created);
}

}  // namespace
}  // namespace minirun::spec
