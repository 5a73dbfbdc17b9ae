#include "runtime/process.hpp"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "runtime/network.hpp"
#include "runtime/sync.hpp"
#include "runtime/trace.hpp"

namespace minirun::runtime {

void kill_and_reap(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

sys::Result<InitProcess> spawn_init(InitPlan& plan, const PlaceInit& place) {
  auto pair = make_sync_pair();
  if (!pair) return pair.error();
  MR_TRY(enter_joined_pid_namespace(plan.namespaces));
  plan.sync_fd = pair->child.get();
  plan.parent_sync_fd = pair->parent.get();

  // A fork-like clone: the child continues here with a copy of the address space. With a
  // cgroup2 target, clone3 puts init there at birth: no later cgroup.procs write, whose
  // migration takes a global lock (measured at 0.5 ms median, spikes of 19 ms).
  bool cloned_into_cgroup = false;
  long pid = -1;
  if (plan.cgroup_fd >= 0) {
    struct clone_args args {};
    args.flags = plan.namespaces.clone_flags | CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<uint64_t>(plan.cgroup_fd);
    pid = syscall(SYS_clone3, &args, sizeof args);
    cloned_into_cgroup = pid >= 0;
  }
  if (pid < 0)  // no cgroup2 target, or a kernel without clone3/CLONE_INTO_CGROUP
    pid = syscall(SYS_clone, plan.namespaces.clone_flags | SIGCHLD, nullptr, nullptr, nullptr,
                  nullptr);
  if (pid < 0) return sys::Error::from_errno("clone", "clone into new namespaces");
  if (pid == 0) run_init(plan);

  InitProcess init{static_cast<pid_t>(pid), std::move(pair->parent)};
  pair->child.reset();
  auto placed = [&]() -> sys::Status {
    std::optional<MadeNetworkNamespace> net;
    if (plan.namespaces.net_by_parent()) {
      auto made = traced("network namespace", "made beside init", make_network_namespace);
      if (!made) return made.error();
      net = std::move(*made);
    }
    if (plan.namespaces.new_user) MR_TRY(write_id_maps(init.pid, *plan.config->linux));
    if (place)
      MR_TRY(traced("cgroups", "join", [&] { return place(init.pid, cloned_into_cgroup); }));
    MR_TRY(send_sync_fd(init.sync.get(), SyncType::setup_done, net ? net->ns.get() : -1));
    if (!net) return {};
    // While init mounts: it waits for this before its hooks and its exec.
    MR_TRY(traced("loopback up", "lo, from outside",
                  [&] { return bring_loopback_up(net->socket.get()); }));
    return send_sync(init.sync.get(), SyncType::loopback_up);
  }();
  if (!placed) {
    kill_and_reap(init.pid);
    // Init runs its mounts meanwhile and may have failed first; then its own report explains
    // the failure (the cgroup write or the send only met a dead process). Init is gone, so
    // this read cannot block.
    if (auto msg = recv_sync(init.sync.get()); msg && msg->type == SyncType::error)
      return error_from_sync(*msg);
    return placed.error();
  }
  return init;
}

}  // namespace minirun::runtime
