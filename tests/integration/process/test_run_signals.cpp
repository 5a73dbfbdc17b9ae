// A foreground `run` stands in for the container process: signals sent to the runtime reach
// the process, and a process killed from outside makes the runtime exit 128+N.
#include <csignal>

#include "harness.hpp"

namespace minirun::itest {
namespace {

class RunSignals : public LeakCheck {};

struct Forwarded {
  int signal;
  std::string name;  // as `trap` and `kill -l` spell it
};

void PrintTo(const Forwarded& f, std::ostream* os) {
  *os << f.name;
}

class RunForwardsSignal : public LeakCheck, public ::testing::WithParamInterface<Forwarded> {};

// pid 1 of a pid namespace gets only the signals it handles, which `trap` does; the runtime
// itself must not die of the signal but pass it on and then report the process's exit code.
TEST_P(RunForwardsSignal, ToTheContainerProcess) {
  const Forwarded& sig = GetParam();
  Bundle bundle;
  bundle.set_shell("trap 'echo got " + sig.name + "; exit 5' " + sig.name +
                   "; echo ready; while :; do sleep 0.1; done");
  Spawned run(run_argv(bundle), Stdio::pipes);
  ASSERT_TRUE(run.wait_for_output("ready\n")) << run.wait(std::chrono::seconds(1));
  ASSERT_EQ(kill(run.pid(), sig.signal), 0);
  RunResult r = run.wait(std::chrono::seconds(10));
  EXPECT_FALSE(r.timed_out) << r;
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_EQ(r.out, "ready\ngot " + sig.name + "\n") << r;
}

INSTANTIATE_TEST_SUITE_P(Signals, RunForwardsSignal,
                         ::testing::Values(Forwarded{SIGTERM, "TERM"}, Forwarded{SIGINT, "INT"},
                                           Forwarded{SIGHUP, "HUP"}, Forwarded{SIGUSR1, "USR1"},
                                           Forwarded{SIGUSR2, "USR2"}, Forwarded{SIGQUIT, "QUIT"}),
                         [](const ::testing::TestParamInfo<Forwarded>& info) {
                           return info.param.name;
                         });

// `kill ID KILL` from another process: the foreground run reports 128+9 and cleans up.
TEST_F(RunSignals, KilledFromOutsideExits137) {
  Bundle bundle;
  bundle.set_shell("echo ready; while :; do sleep 0.1; done");
  Spawned run(run_argv(bundle), Stdio::pipes);
  ASSERT_TRUE(run.wait_for_output("ready\n")) << run.wait(std::chrono::seconds(1));
  RunResult kill_result = run_runtime({"kill", bundle.id, "KILL"});
  EXPECT_EQ(kill_result.exit_code, 0) << kill_result;
  RunResult r = run.wait(std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r;
  EXPECT_TRUE(std::filesystem::is_empty(state_root())) << "state left in " << state_root();
}

// A signal the process does not handle leaves it running (pid 1 semantics), and the runtime
// too: it forwarded the signal instead of dying of it.
TEST_F(RunSignals, UnhandledTermLeavesPidOneAndTheRuntimeRunning) {
  Bundle bundle;
  bundle.set_shell("trap 'echo got USR1; exit 6' USR1; echo ready; while :; do sleep 0.1; done");
  Spawned run(run_argv(bundle), Stdio::pipes);
  ASSERT_TRUE(run.wait_for_output("ready\n")) << run.wait(std::chrono::seconds(1));
  ASSERT_EQ(kill(run.pid(), SIGTERM), 0);
  EXPECT_FALSE(run.wait_for_output("never printed", std::chrono::milliseconds(300)));
  ASSERT_EQ(kill(run.pid(), SIGUSR1), 0);
  RunResult r = run.wait(std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 6) << r;
  EXPECT_EQ(r.out, "ready\ngot USR1\n") << r;
}

}  // namespace
}  // namespace minirun::itest
