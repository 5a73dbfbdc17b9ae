// Running a program and capturing what it did: exit code, stdout, stderr, with a timeout.
// Used for the runtime under test, for runc, and for helper tools (ip, umount, ...).
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace minirun::itest {

struct RunOptions {
  // Written to the child's stdin, which is then closed. nullopt: stdin is /dev/null, so a
  // container that reads stdin sees EOF instead of hanging on the terminal.
  std::optional<std::string> stdin_data;
  // After this the whole process group is SIGKILLed and RunResult::timed_out is set.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  // "KEY=VALUE" entries added to (or replacing in) the inherited environment.
  std::vector<std::string> extra_env;
  // Not empty: stdout and stderr both go to this file (truncated first) instead of pipes, and
  // RunResult::out holds its content once the command exited. For a command that leaves a
  // detached process behind with its stdio (`run -d`, `exec -d`): with pipes, the result waits
  // a grace period for that process and then leaves the pipes open until the test ends.
  std::string output_file;

  // Only for run_runtime()/run_container():
  // the binary to run instead of the runtime under test (e.g. runc for comparisons).
  std::string binary;
  // --root DIR; empty: the current test's own state root (see state_root()).
  std::string state_root;
  // false: pass no --root at all (to test the runtime's default root).
  bool pass_root = true;
};

struct RunResult {
  std::vector<std::string> argv;
  int exit_code = -1;  // the exit status, or 128+signal as a shell reports it
  std::string out;
  std::string err;
  bool timed_out = false;
  std::chrono::milliseconds elapsed{0};

  std::vector<std::string> out_lines() const;
  std::vector<std::string> err_lines() const;
};

// Prints the command, exit code, stdout and stderr: stream it into assertions,
// e.g. `EXPECT_EQ(r.exit_code, 0) << r;`.
std::ostream& operator<<(std::ostream& os, const RunResult& r);

// fork/exec argv (PATH is searched) in its own process group with piped stdio. Returns when
// the child has exited and its pipes are drained; output still held open by a detached
// grandchild (e.g. `run -d`) is read only for a short grace period, after which the pipes
// are left open (not read) until the test ends.
RunResult run_process(const std::vector<std::string>& argv, const RunOptions& opts = {});

// Splits on '\n'; a trailing newline does not make an empty last line.
std::vector<std::string> split_lines(const std::string& text);

}  // namespace minirun::itest
