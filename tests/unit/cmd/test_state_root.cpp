// --rootless and the default state root, decided from the euid as runc decides them.
#include <gtest/gtest.h>

#include "cmd/state_root.hpp"

using namespace minirun::cmd;

TEST(Rootless, AutoFollowsTheEuidTrueAndFalseForce) {
  EXPECT_FALSE(rootless_for("auto", 0));
  EXPECT_TRUE(rootless_for("auto", 1000));
  EXPECT_TRUE(rootless_for("true", 0));
  EXPECT_FALSE(rootless_for("false", 1000));
}

TEST(DefaultStateRoot, RootKeepsRunMinirunEvenWithXdg) {
  auto root = default_state_root(0, "/run/user/0");
  EXPECT_EQ(root.path, "/run/minirun");
  EXPECT_FALSE(root.in_xdg_runtime_dir);
}

TEST(DefaultStateRoot, AUserGetsXdgRuntimeDirElseRunMinirun) {
  auto xdg = default_state_root(1000, "/run/user/1000");
  EXPECT_EQ(xdg.path, "/run/user/1000/minirun");
  EXPECT_TRUE(xdg.in_xdg_runtime_dir);
  EXPECT_EQ(default_state_root(1000, nullptr).path, "/run/minirun");
  EXPECT_EQ(default_state_root(1000, "").path, "/run/minirun");
}
