// `exec`: another process in a running container. It joins every namespace of the
// container's init, its cgroups and its root, and gets the container's process settings
// (capabilities, rlimits, no_new_privs, seccomp) unless the caller overrides them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/container/handle.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct ExecOptions {
  std::string process_file;       // --process: the whole process, as process.json
  std::vector<std::string> args;  // otherwise: the command, with the flags below
  bool tty = false;
  std::string console_socket;
  std::string cwd;
  std::vector<std::string> env;  // appended to the container's env
  std::string user;              // "uid[:gid]"
  std::vector<uint32_t> additional_gids;
  std::vector<std::string> caps;  // added to every capability set
  bool no_new_privs = false;
  bool detach = false;
  bool ignore_paused = false;
  std::string pid_file;
  int preserve_fds = 0;
  std::string process_label;  // refused when set: no SELinux support
  std::string apparmor;       // refused when set: no AppArmor support
};

// The process to run, as runc's getProcess builds it: from --process, or from the container's
// process with args, cwd, env, tty, user, gids, caps and no_new_privs overridden. What a
// --process file leaves out (capabilities, rlimits, scheduler, ioPriority, oomScoreAdj) is the
// container's.
sys::Result<spec::Process> build_exec_process(const ExecOptions& options,
                                              const spec::Config& config);

// Runs the process. Foreground: waits, forwards signals (and proxies a tty without
// --console-socket) and returns its exit code. Detached: returns 0 once it has exec'd.
// Errors carry runc's words ("cannot exec in a stopped container"); the CLI prefixes
// "exec failed: " and exits 255. The container is opened with Access::read: holding its lock
// for as long as the process runs would stop `kill` and `delete` reaching it.
sys::Result<int> exec_in_container(const Container& container, const ExecOptions& options);

}  // namespace minirun::runtime
