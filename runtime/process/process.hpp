// Starting the container's init: clone(2) straight into the new namespaces, no self re-exec.
#pragma once

#include <sys/types.h>

#include <functional>

#include "runtime/process/init.hpp"
#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

struct InitProcess {
  pid_t pid = -1;
  sys::Fd sync;  // the parent's end of the sync socket
};

// Parent-side set-up of a fresh init before it may run: cgroup placement and the like.
// cloned_into_cgroup: init already sits in plan.cgroup_fd's cgroup.
using PlaceInit = std::function<sys::Status(pid_t pid, bool cloned_into_cgroup)>;

// Clones init with plan.namespaces.clone_flags; makes the network namespace init is to join
// when plan.namespaces.net_by_parent(), writes the id maps of a new user namespace, runs
// place(pid), then lets init proceed (and brings the new namespace's lo up meanwhile).
// plan's sync fds are filled in here.
sys::Result<InitProcess> spawn_init(InitPlan& plan, const PlaceInit& place = {});

// SIGKILL and reap: for error paths, where init must not outlive the failed start.
void kill_and_reap(pid_t pid);

// The name (comm) init and exec children take first thing; their execve replaces it with the
// program's. A child that dies with it still on died before it could exec.
void name_before_exec();

// After EOF on a child's sync socket, which closes at its execve and at its death: whether it
// exec'd, or died before (then an error in runc's words, with the likely reason). Waits, not
// reaps: a dead child stays a zombie for the caller.
sys::Status exec_outcome(pid_t pid);

}  // namespace minirun::runtime
