// A runtime (or any program) that keeps running while the test talks to it: reads its output as
// it comes, writes to its terminal, sends it signals. run_process() is for programs that are
// simply waited for; this is for the tty and signal tests.
//
//   Spawned run = spawn_container(bundle);              // `<runtime> run ...`, not waited for
//   ASSERT_TRUE(run.wait_for_output("ready")) << run.wait();
//   kill(run.pid(), SIGUSR1);
//   RunResult r = run.wait();                            // exit code and all output
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "harness_bundle.hpp"
#include "harness_subprocess.hpp"

namespace minirun::itest {

enum class Stdio {
  pipes,  // stdin /dev/null, stdout and stderr on pipes; own process group
  pty,    // a new session whose controlling terminal is a fresh pty: stdin, stdout, stderr
};

struct TerminalSize {
  unsigned short rows = 0;
  unsigned short cols = 0;
};

class Spawned {
 public:
  // fork/exec argv (PATH searched). With Stdio::pty the pty gets `size` before the exec.
  Spawned(const std::vector<std::string>& argv, Stdio stdio, TerminalSize size = {});
  // Kills the process group if it still runs, and reaps.
  ~Spawned();
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  pid_t pid() const { return pid_; }
  // The pty master (Stdio::pty), e.g. to read the terminal's modes.
  int terminal() const { return master_fd_; }

  // Reads output until stdout (with a pty: the terminal) contains `needle`. False on timeout
  // or when the output ended without it.
  bool wait_for_output(const std::string& needle,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Types into the terminal (Stdio::pty only).
  void type(const std::string& text);
  // Waits for the exit (SIGKILLs the process group after `timeout`) and reads the rest of the
  // output. With a pty, `out` is everything the terminal showed and `err` is empty.
  RunResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  // One poll round: appends what is readable. False when there is nothing left to read.
  bool read_some(std::chrono::milliseconds limit);

  pid_t pid_ = -1;
  int master_fd_ = -1;  // pty master (Stdio::pty), open until the end
  int out_fd_ = -1;     // stdout pipe, or a dup of the pty master closed at EOF/EIO
  int err_fd_ = -1;     // stderr pipe (Stdio::pipes)
  bool reaped_ = false;
  RunResult result_;
};

// `<runtime> --root <state_root()> run --bundle DIR [FLAGS...] ID`, running in the background.
// Writes the bundle's config first.
std::vector<std::string> run_argv(Bundle& bundle, const std::vector<std::string>& run_flags = {});

}  // namespace minirun::itest
