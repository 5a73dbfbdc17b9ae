// exec's child: forked by the parent in the container's pid namespace, it joins init's other
// namespaces (user first) and root, then ends like init (process_tail) and execs. The parent
// side serves it until the exec.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <optional>
#include <vector>

#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/seccomp.hpp"
#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// What the forked child needs; everything is opened or computed before the fork.
struct ExecPlan {
  const spec::Config* config = nullptr;
  spec::Process process;
  std::optional<SeccompProgram> seccomp;
  std::vector<JoinedNamespace> joins;  // user first, mount last; pid is entered by the parent
  sys::Fd root;                        // /proc/<init>/root
  int sync_fd = -1;
  int preserve_fds = 0;
  sigset_t exec_sigmask{};
};

// Every namespace of the live init that is not ours, whatever config.json says: the container
// may have rewritten its bundle since create, and a joined namespace is the same one anyway.
// (setns into one's own user namespace fails, so the ones we share are left out.)
sys::Result<std::vector<JoinedNamespace>> open_init_namespaces(pid_t pid);

[[noreturn]] void run_exec_child(const ExecPlan& plan);

// Forks the child (run_exec_child) in init's pid namespace; its pid. Root enters the pid
// namespace itself; an unprivileged caller has no right to it outside the container's user
// namespace, so a short-lived middle process joins that first and forks the child as the
// caller's own (clone_in_joined_user_namespace, as init's in process.cpp).
sys::Result<pid_t> fork_exec_child(ExecPlan& plan);

// Serves the child until it has exec'd (EOF: the sync socket is close-on-exec) or failed;
// a pty master it sends lands in *console.
sys::Status await_exec(int sync, pid_t pid, sys::Fd* console);

}  // namespace minirun::runtime
