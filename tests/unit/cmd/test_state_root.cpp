// --rootless and the default state root, decided from the euid and the user namespace as runc
// decides them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "cmd/state_root.hpp"

using namespace minirun::cmd;

TEST(Rootless, AutoFollowsTheEuidAndTheUserNamespaceTrueAndFalseForce) {
  EXPECT_FALSE(rootless_for("auto", 0, false));  // root on the host: as before
  EXPECT_TRUE(rootless_for("auto", 0, true));    // root in a user namespace (rootless podman)
  EXPECT_TRUE(rootless_for("auto", 1000, false));
  EXPECT_TRUE(rootless_for("auto", 1000, true));
  EXPECT_TRUE(rootless_for("true", 0, false));
  EXPECT_FALSE(rootless_for("false", 1000, false));
  EXPECT_FALSE(rootless_for("false", 0, true));
}

TEST(DefaultStateRoot, RootKeepsRunMinirunEvenWithXdg) {
  auto root = default_state_root(0, "/run/user/0", false);
  EXPECT_EQ(root.path, "/run/minirun");
  EXPECT_FALSE(root.in_xdg_runtime_dir);
}

TEST(DefaultStateRoot, AUserGetsXdgRuntimeDirElseRunMinirun) {
  auto xdg = default_state_root(1000, "/run/user/1000", false);
  EXPECT_EQ(xdg.path, "/run/user/1000/minirun");
  EXPECT_TRUE(xdg.in_xdg_runtime_dir);
  EXPECT_EQ(default_state_root(1000, nullptr, false).path, "/run/minirun");
  EXPECT_EQ(default_state_root(1000, "", false).path, "/run/minirun");
}

TEST(DefaultStateRoot, RootInAUserNamespaceGetsXdgRuntimeDirOnlyWhenItOwnsIt) {
  char dir[] = "/tmp/minirun-xdg.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const uid_t me = geteuid();
  auto own = default_state_root(me, dir, true);
  EXPECT_EQ(own.path, std::string(dir) + "/minirun");
  EXPECT_TRUE(own.in_xdg_runtime_dir);
  if (me == 0) {
    ASSERT_EQ(chown(dir, 1000, 1000), 0);  // someone else's dir: not ours to use
    EXPECT_EQ(default_state_root(0, dir, true).path, "/run/minirun");
  }
  EXPECT_EQ(default_state_root(0, "/nonexistent-xdg", true).path, "/run/minirun");
  EXPECT_EQ(default_state_root(0, nullptr, true).path, "/run/minirun");
  rmdir(dir);
}
