// The container's init: runs in the cloned child, performs the plan in runc's order and execs
// the container process. Never returns; a failing step is reported over the sync socket.
#pragma once

#include <signal.h>

#include <optional>
#include <string>

#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/seccomp.hpp"
#include "spec/config.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

// Everything init needs, decided in the parent before clone.
struct InitPlan {
  const spec::Config* config = nullptr;
  std::string rootfs;  // host path, absolute and resolved (Bundle::rootfs)
  NamespacePlan namespaces;
  std::optional<SeccompProgram> seccomp;
  bool no_pivot = false;
  int sync_fd = -1;    // init's end of the sync socket; init closes every other fd it inherits
  int cgroup_fd = -1;  // a cgroup2 directory to clone init straight into, or -1
  // O_PATH fd of <root>/<id>/exec.fifo: init blocks reopening it for writing until `start`.
  // Not the state directory: no fd of a host directory may reach the container. -1: there is
  // no fifo (run without a terminal), init execs as soon as it has said it is ready.
  int exec_fifo_fd = -1;
  sigset_t exec_sigmask{};  // the signal mask the container process starts with
  int preserve_fds = 0;     // fds 3 .. 3+N-1 stay open into the container process
  bool new_keyring = true;  // join "_ses.<id>" (runc's default; --no-new-keyring turns it off)
  // The state hooks see; init fills in its host pid. Its id names the session keyring.
  spec::State hook_state;
};

[[noreturn]] void run_init(const InitPlan& plan);

}  // namespace minirun::runtime
