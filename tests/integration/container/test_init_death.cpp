// A container process that dies before it could exec (issue 12, item 3): `run` exits 1 with
// one line that says so and why this is likely, and leaves nothing behind; runc alike
// ("container process is already dead").
#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class InitDeath : public LeakCheck {};

// Denies everything, exit_group and execve included: init cannot even exit cleanly.
void deny_everything(Bundle& bundle, bool no_new_privileges) {
  bundle.config["process"]["noNewPrivileges"] = no_new_privileges;
  bundle.config["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ERRNO"},
                                       {"syscalls", json::array()}};
}

void expect_dead_before_exec(const RunResult& r, const std::string& why) {
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.err_lines().size(), 1U) << r;
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.err, "container process is already dead")) << r;
    EXPECT_TRUE(contains(r.err, why)) << r;
  }
}

TEST_F(InitDeath, AProfileThatDeniesExecveWithNoNewPrivileges) {
  Bundle bundle({"true"});
  deny_everything(bundle, true);
  expect_dead_before_exec(run_container(bundle), "seccomp profile");
}

TEST_F(InitDeath, AProfileThatDeniesExecveWithoutNoNewPrivileges) {
  Bundle bundle({"true"});
  deny_everything(bundle, false);
  expect_dead_before_exec(run_container(bundle), "seccomp profile");
}

// SIGKILLed between clone and exec (as the OOM killer would): a createRuntime hook kills init,
// whose pid it reads from the state on its stdin.
TEST_F(InitDeath, InitKilledBeforeExec) {
  Bundle bundle({"true"});
  bundle.config["hooks"]["createRuntime"] = {
      {{"path", "/bin/sh"},
       {"args", {"sh", "-c", "pid=$(sed 's/.*\"pid\":\\([0-9]*\\).*/\\1/'); kill -9 $pid"}}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 1) << r;
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.err, "container process is already dead")) << r;
    EXPECT_TRUE(contains(r.err, "signal 9")) << r;
  }
}

}  // namespace
}  // namespace minirun::itest
