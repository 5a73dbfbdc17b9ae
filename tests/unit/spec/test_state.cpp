// state.json: what minirun keeps between commands, and what `state` prints of it.
#include <gtest/gtest.h>

#include "spec/state.hpp"

using namespace minirun::spec;

namespace {

State sample() {
  State s;
  s.ociVersion = "1.0.2";
  s.id = "c1";
  s.pid = 42;
  s.status = ContainerStatus::created;
  s.bundle = "/b";
  s.rootfs = "/b/rootfs";
  s.created = "2026-11-28T00:00:00.000000000Z";
  s.init_start_time = 7;
  s.cgroup_paths = {{"unified", "/sys/fs/cgroup/minirun/c1"}};
  return s;
}

}  // namespace

TEST(StoredState, KeepsTheCreateTimeLateHooks) {
  State s = sample();
  s.late_hooks.emplace();
  s.late_hooks->poststart.push_back(Hook{"/bin/hook", {"hook", "a"}, {"K=V"}, 5});
  auto back = state_from_stored_json(state_to_stored_json(s));
  ASSERT_TRUE(back.late_hooks);
  ASSERT_EQ(back.late_hooks->poststart.size(), 1u);
  EXPECT_EQ(back.late_hooks->poststart[0].path, "/bin/hook");
  EXPECT_EQ(back.late_hooks->poststart[0].args, (std::vector<std::string>{"hook", "a"}));
  EXPECT_EQ(back.late_hooks->poststart[0].env, (std::vector<std::string>{"K=V"}));
  EXPECT_EQ(back.late_hooks->poststart[0].timeout, 5);
  EXPECT_TRUE(back.late_hooks->poststop.empty());
  EXPECT_EQ(back.cgroup_paths, s.cgroup_paths);
  EXPECT_EQ(back.init_start_time, 7u);
}

TEST(StoredState, AnOlderStateJsonHasNoKeptHooks) {
  auto back = state_from_stored_json(state_to_stored_json(sample()));
  EXPECT_FALSE(back.late_hooks);
}

TEST(StoredState, DamagedKeptHooksAreADamagedStateJson) {
  std::string text = state_to_stored_json(sample());
  text.insert(text.size() - 1, R"(,"late_hooks":{"poststart":[{"args":["x"]}]})");
  EXPECT_THROW(state_from_stored_json(text), std::runtime_error);
}

TEST(StoredState, AStatusIsOneOfRuncsWords) {
  std::string text = state_to_stored_json(sample());
  EXPECT_NE(text.find("\"status\":\"created\""), std::string::npos) << text;
  EXPECT_EQ(state_from_stored_json(text).status, ContainerStatus::created);
  text.replace(text.find("\"created\","), 9, "\"exited\"");
  EXPECT_THROW(state_from_stored_json(text), std::runtime_error) << text;
}

TEST(StoredState, KeepsTheMountBelowTheRootfsOnlyWhenThereIsOne) {
  State s = sample();
  EXPECT_FALSE(state_from_stored_json(state_to_stored_json(s)).rootfs_mount_below);
  s.rootfs_mount_below = 0;  // a valid mount ID
  EXPECT_EQ(state_from_stored_json(state_to_stored_json(s)).rootfs_mount_below, 0u);
  s.rootfs_mount_below = 4242;
  EXPECT_EQ(state_from_stored_json(state_to_stored_json(s)).rootfs_mount_below, 4242u);
  std::string text = state_to_stored_json(sample());
  text.insert(text.size() - 1, R"(,"rootfs_mount_below":"x")");
  EXPECT_THROW(state_from_stored_json(text), std::runtime_error);
}

TEST(PrintedState, ShowsNoBookkeeping) {
  State s = sample();
  s.late_hooks.emplace();
  s.rootfs_mount_below = 12;
  std::string printed = state_to_json(s);
  EXPECT_EQ(printed.find("late_hooks"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("cgroup_paths"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("rootfs_mount_below"), std::string::npos) << printed;
}

TEST(StoredState, KeepsTheCreatorOfACreatingContainer) {
  State s = sample();
  s.status = ContainerStatus::creating;
  s.pid = 0;
  s.creator_pid = 4242;
  s.creator_start_time = 99;
  auto back = state_from_stored_json(state_to_stored_json(s));
  EXPECT_EQ(back.status, ContainerStatus::creating);
  EXPECT_EQ(back.creator_pid, 4242);
  EXPECT_EQ(back.creator_start_time, 99u);
  EXPECT_EQ(back.cgroup_paths, s.cgroup_paths);
}

// A made container's state.json is what it was before creators were recorded.
TEST(StoredState, AMadeContainerHasNoCreator) {
  std::string text = state_to_stored_json(sample());
  EXPECT_EQ(text.find("creator"), std::string::npos) << text;
  EXPECT_EQ(state_from_stored_json(text).creator_pid, 0);
}

TEST(StoredState, ADamagedCreatorIsADamagedStateJson) {
  for (const char* creator : {R"("creator_pid":"1")", R"("creator_pid":-1)",
                              R"("creator_pid":4294967296)", R"("creator_start_time":true)"}) {
    std::string text = state_to_stored_json(sample());
    text.insert(text.size() - 1, std::string(",") + creator);
    EXPECT_THROW(state_from_stored_json(text), std::runtime_error) << creator;
  }
}

TEST(PrintedState, ShowsCreatingButNotTheCreator) {
  State s = sample();
  s.status = ContainerStatus::creating;
  s.creator_pid = 4242;
  std::string printed = state_to_json(s);
  EXPECT_NE(printed.find("\"status\": \"creating\""), std::string::npos) << printed;
  EXPECT_EQ(printed.find("creator"), std::string::npos) << printed;
}
