// process.terminal true: the runtime runs on a pty of ours (a new session with it as the
// controlling terminal, as in a login shell) and must give the container its own pty, proxy
// input and output, pass the window size, and restore our terminal afterwards.
#include <sys/ioctl.h>
#include <termios.h>

#include "harness.hpp"

namespace minirun::itest {
namespace {

class RunTty : public LeakCheck {};

constexpr TerminalSize kOuterSize{40, 120};

void use_terminal(Bundle& bundle) {
  bundle.config["process"]["terminal"] = true;
}

// What a runtime under test shows on the terminal, for `args`.
RunResult run_on_pty(Bundle& bundle, const std::string& binary = "") {
  std::vector<std::string> argv = run_argv(bundle);
  if (!binary.empty()) {
    argv = {binary,
            "--root",
            runc_state_root().string(),
            "run",
            "--bundle",
            bundle.dir().string(),
            bundle.id + "-runc"};
    registry().container_ids.push_back(bundle.id + "-runc");
  }
  Spawned run(argv, Stdio::pty, kOuterSize);
  return run.wait();
}

TEST_F(RunTty, TheContainersStdioIsAPtyOfItsOwnDevpts) {
  Bundle bundle({"tty"});
  use_terminal(bundle);
  RunResult r = run_on_pty(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "/dev/pts/0\r\n") << r;
  if (runc_available()) {
    RunResult runc = run_on_pty(bundle, kRuncPath);
    EXPECT_EQ(runc.exit_code, 0) << runc;
    EXPECT_TRUE(contains(runc.out, "/dev/pts/0\r\n")) << runc;
  }
}

// A read-only /dev still gets the console: the pty is bound on /dev/console before the
// readonly paths are applied, in runc's order (minirun moves readonly paths ahead of its wait
// for the parent only when nothing still to come touches them, rootfs_order.hpp).
TEST_F(RunTty, AReadonlyDevStillGetsTheConsole) {
  Bundle bundle(
      {"sh", "-c",
       "ls -l /dev/console; test -c /dev/console && echo console; touch /dev/x || echo ro"});
  use_terminal(bundle);
  bundle.config["linux"]["readonlyPaths"].push_back("/dev");
  RunResult r = run_on_pty(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "console\r\n")) << r;
  EXPECT_TRUE(contains(r.out, "ro\r\n")) << r;
  if (runc_available()) {
    RunResult runc = run_on_pty(bundle, kRuncPath);
    EXPECT_TRUE(contains(runc.out, "console\r\n")) << runc;
    EXPECT_TRUE(contains(runc.out, "ro\r\n")) << runc;
  }
}

TEST_F(RunTty, ExitCodeComesThroughTheTerminalPath) {
  Bundle bundle({"sh", "-c", "echo out; echo err >&2; exit 7"});
  use_terminal(bundle);
  RunResult r = run_on_pty(bundle);
  EXPECT_EQ(r.exit_code, 7) << r;
  EXPECT_TRUE(contains(r.out, "out\r\n")) << r;
  EXPECT_TRUE(contains(r.out, "err\r\n")) << "stderr goes to the same terminal" << r;
}

// The user's window, not consoleSize, from the process's very first instruction: minirun sets
// it before the exec. runc copies it only after the start, so a `stty size` that runs at once
// sees either size there.
TEST_F(RunTty, WindowSizeIsTheOuterTerminals) {
  Bundle bundle({"stty", "size"});
  use_terminal(bundle);
  bundle.config["process"]["consoleSize"] = {{"height", 33}, {"width", 101}};
  const std::string outer =
      std::to_string(kOuterSize.rows) + " " + std::to_string(kOuterSize.cols) + "\r\n";
  for (int attempt = 0; attempt < 5; ++attempt) {
    RunResult r = run_on_pty(bundle);
    ASSERT_EQ(r.exit_code, 0) << r;
    if (is_minirun()) {
      ASSERT_EQ(r.out, outer) << "attempt " << attempt << r;
    } else {
      ASSERT_TRUE(r.out == outer || r.out == "33 101\r\n") << r;
    }
  }
}

// Without a terminal of the caller's, the container's pty keeps consoleSize. (runc refuses to
// run a terminal container without a controlling terminal: "open /dev/tty".)
TEST_F(RunTty, ConsoleSizeWhenTheCallerHasNoTerminal) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  Bundle bundle({"stty", "size"});
  use_terminal(bundle);
  bundle.config["process"]["consoleSize"] = {{"height", 33}, {"width", 101}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "33 101\r\n") << r;
}

// Resizing our terminal (SIGWINCH to the runtime, the terminal's foreground process) resizes
// the container's pty, and the process there gets its own SIGWINCH.
TEST_F(RunTty, ResizeReachesTheContainer) {
  Bundle bundle(
      {"sh", "-c", "trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.1; done"});
  use_terminal(bundle);
  Spawned run(run_argv(bundle), Stdio::pty, kOuterSize);
  ASSERT_TRUE(run.wait_for_output("ready\r\n")) << run.wait(std::chrono::seconds(1));
  struct winsize bigger {};
  bigger.ws_row = 50;
  bigger.ws_col = 150;
  ASSERT_EQ(ioctl(run.terminal(), TIOCSWINSZ, &bigger), 0);
  RunResult r = run.wait(std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "ready\r\n50 150\r\n") << r;
}

TEST_F(RunTty, TypedInputReachesAnInteractiveShell) {
  Bundle bundle({"sh"});
  use_terminal(bundle);
  Spawned run(run_argv(bundle), Stdio::pty, kOuterSize);
  // Typing before the prompt would race the runtime switching our terminal to raw mode.
  ASSERT_TRUE(run.wait_for_output("# ")) << run.wait(std::chrono::seconds(1));
  run.type("echo h\"\"i\n");  // the echoed command line is `echo h""i`, only the output is `hi`
  ASSERT_TRUE(run.wait_for_output("\r\nhi\r\n")) << run.wait(std::chrono::seconds(1));
  run.type("exit 3\n");
  RunResult r = run.wait();
  EXPECT_EQ(r.exit_code, 3) << r;
}

TEST_F(RunTty, OurTerminalModeIsRestoredAfterwards) {
  Bundle bundle({"true"});
  use_terminal(bundle);
  Spawned run(run_argv(bundle), Stdio::pty, kOuterSize);
  struct termios before {};
  ASSERT_EQ(tcgetattr(run.terminal(), &before), 0);
  ASSERT_TRUE(before.c_lflag & ICANON) << "a fresh pty starts in canonical mode";
  RunResult r = run.wait();
  ASSERT_EQ(r.exit_code, 0) << r;
  struct termios after {};
  ASSERT_EQ(tcgetattr(run.terminal(), &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag) << "local modes (ICANON, ECHO, ...) not restored";
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  EXPECT_EQ(after.c_oflag, before.c_oflag);
}

// No terminal to hand the pty to: refused before anything runs.
TEST_F(RunTty, DetachWithoutConsoleSocketFails) {
  Bundle bundle({"echo", "should not run"});
  use_terminal(bundle);
  RunResult r = run_container(bundle, {}, {"--detach"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
  EXPECT_TRUE(contains(r.err, "will detach without setting console socket")) << r;
  EXPECT_TRUE(std::filesystem::is_empty(state_root())) << "state left in " << state_root();
}

}  // namespace
}  // namespace minirun::itest
