// The end every container process shares, init's and exec's alike: from "in the container's
// root, in its namespaces" to execve, in runc's security order. One function, so a step added
// for one kind of process cannot be missing from the other, and the calls made after the
// seccomp filter stay the ones of spec/post_filter_syscalls.hpp for both.
#pragma once

#include <signal.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/process/seccomp.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct ProcessTail {
  // The parts every container process has; the init-only steps stay empty.
  ProcessTail(const spec::Process& process, const spec::Linux& linux,
              const std::optional<SeccompProgram>& seccomp, int preserve_fds,
              const sigset_t& exec_sigmask)
      : process(&process),
        personality(linux.personality),
        seccomp(seccomp ? &*seccomp : nullptr),
        preserve_fds(preserve_fds),
        exec_sigmask(exec_sigmask) {}

  const spec::Process* process = nullptr;
  std::optional<spec::Personality> personality;  // linux.personality
  const SeccompProgram* seccomp = nullptr;       // null: no filter
  int preserve_fds = 0;                          // fds 3 .. 3+N-1 stay open across the exec
  sigset_t exec_sigmask{};                       // the mask the container process starts with
  // Init's: between the last check (the executable was found) and the filter that goes in
  // right before execve, init reports ready and waits for `start`.
  std::function<sys::Status()> before_late_filter;
  // Init's: the startContainer hooks, after that filter, in the container as its user.
  std::function<sys::Status()> after_late_filter;
};

// env (HOME from the container's passwd), process attributes, close-on-exec of every fd but
// stdio and the preserved ones, no_new_privs, the seccomp filter (before the drop when it needs
// CAP_SYS_ADMIN, else as late as possible), capabilities/user, cwd, the executable, execve.
// Returns only on failure.
sys::Status run_process_tail(const ProcessTail& tail);

// argv[0] looked up in the PATH of the process's own env (not minirun's), as runc does.
sys::Result<std::string> find_executable(const std::string& name,
                                         const std::vector<std::string>& env);

}  // namespace minirun::runtime
