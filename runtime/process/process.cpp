#include "runtime/process/process.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "runtime/network/loopback.hpp"
#include "runtime/network/net_devices.hpp"
#include "runtime/process/clone_in_user_namespace.hpp"
#include "runtime/process/sync.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/proc_stat.hpp"
#include "runtime/sys/trace.hpp"

namespace minirun::runtime {

void kill_and_reap(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

namespace {

constexpr const char* kBeforeExecName = "minirun:[INIT]";  // at most 15 characters

std::string comm_of(pid_t pid) {
  auto comm = sys::read_file("/proc/" + std::to_string(pid) + "/comm", "init");
  return comm ? comm->substr(0, comm->find('\n')) : std::string();
}

// Why a child that never exec'd is dead, from its zombie's wait status.
std::string death_before_exec(pid_t pid) {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) < 0 ||
      info.si_pid != pid)
    return "it died before it could exec the process";
  if (info.si_code == CLD_EXITED)
    return "it exited with status " + std::to_string(info.si_status) +
           " before it could exec the process";
  std::string signal =
      "signal " + std::to_string(info.si_status) + " (" + strsignal(info.si_status) + ")";
  std::string why = "it was killed by " + signal + " before it could exec the process";
  if (info.si_status == SIGKILL)
    return why + ": out of memory (see the memory limit), or killed by another process";
  if (info.si_status == SIGSEGV || info.si_status == SIGSYS)
    return why +
           ": most likely the seccomp profile denies a call the runtime makes after "
           "loading it (execve, exit_group, or one of spec/post_filter_syscalls.hpp)";
  return why;
}

// A fork-like clone into plan's new namespaces: the child continues here with a copy of the
// address space and runs init. With a cgroup2 target, clone3 puts init there at birth: no
// later cgroup.procs write, whose migration takes a global lock (measured at 0.5 ms median,
// spikes of 19 ms). Returns the pid (or -1 with errno), as fork does.
long clone_init(const InitPlan& plan, unsigned long extra_flags, bool* cloned_into_cgroup) {
  *cloned_into_cgroup = false;
  long pid = -1;
  if (plan.cgroup_fd >= 0) {
    struct clone_args args {};
    args.flags = plan.namespaces.clone_flags | extra_flags | CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<uint64_t>(plan.cgroup_fd);
    pid = syscall(SYS_clone3, &args, sizeof args);
    *cloned_into_cgroup = pid >= 0;
  }
  if (pid < 0)  // no cgroup2 target, or a kernel without clone3/CLONE_INTO_CGROUP
    pid = syscall(SYS_clone, plan.namespaces.clone_flags | extra_flags | SIGCHLD, nullptr, nullptr,
                  nullptr, nullptr);
  if (pid == 0) run_init(plan);
  return pid;
}

// init's words for what fails in clone_in_joined_user_namespace.
JoinedCloneWords init_clone_words(const std::string& user_path) {
  return {"clone",
          "clone the process that joins " + user_path,
          "join pid namespace (from user namespace " + user_path + ")",
          {"clone", "clone into new namespaces (in user namespace " + user_path + ")"}};
}

// linux.netDevices go into the namespace the parent made beside init (made_netns), else the
// joined one (init may not have joined it yet), else the one clone(2) made for init.
sys::Status move_devices_for(const InitPlan& plan, pid_t pid, int made_netns) {
  int netns = made_netns;
  for (const auto& join : plan.namespaces.joins)
    if (netns < 0 && join.type == spec::NamespaceType::network) netns = join.fd.get();
  sys::Fd own;
  if (netns < 0) {
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    own.reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!own) return sys::Error::from_errno("network devices", "open " + path);
    netns = own.get();
  }
  return move_net_devices(plan.config->linux->netDevices, netns);
}

}  // namespace

sys::Result<InitProcess> spawn_init(InitPlan& plan, const PlaceInit& place) {
  auto pair = make_sync_pair();
  if (!pair) return pair.error();
  plan.sync_fd = pair->child.get();

  bool cloned_into_cgroup = false;
  long pid = -1;
  if (plan.namespaces.joins_user && plan.namespaces.clone_flags != 0) {
    auto cloned = clone_in_joined_user_namespace(
        plan.namespaces.joins, init_clone_words,
        [&](bool* into_cgroup) { return clone_init(plan, CLONE_PARENT, into_cgroup); });
    if (!cloned) return cloned.error();
    pid = cloned->pid;
    cloned_into_cgroup = cloned->cloned_into_cgroup;
  } else {
    MR_TRY(enter_joined_pid_namespace(plan.namespaces.joins));
    pid = clone_init(plan, 0, &cloned_into_cgroup);
    if (pid < 0) return sys::Error::from_errno("clone", "clone into new namespaces");
  }

  InitProcess init{static_cast<pid_t>(pid), std::move(pair->parent)};
  pair->child.reset();
  auto placed = [&]() -> sys::Status {
    std::optional<MadeNetworkNamespace> net;
    if (plan.namespaces.net_by_parent()) {
      auto made = traced("network namespace", "made beside init", make_network_namespace);
      if (!made) return made.error();
      net = std::move(*made);
    }
    if (plan.namespaces.new_user)
      MR_TRY(write_id_maps(init.pid, *plan.config->linux, plan.namespaces.id_map_helpers));
    if (place)
      MR_TRY(traced("cgroups", "join", [&] { return place(init.pid, cloned_into_cgroup); }));
    if (plan.config->linux && !plan.config->linux->netDevices.empty())
      MR_TRY(traced("network devices", "moved beside init",
                    [&] { return move_devices_for(plan, init.pid, net ? net->ns.get() : -1); }));
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

void name_before_exec() {
  prctl(PR_SET_NAME, kBeforeExecName, 0, 0, 0);
}

sys::Status exec_outcome(pid_t pid) {
  // The socket closes in execve before the new name is set: a live child with the old name is
  // in the middle of its exec. 10 s bounds a wait that should take microseconds.
  for (int i = 0; i < 100000; ++i) {
    if (comm_of(pid) != kBeforeExecName) return {};
    auto stat = read_proc_stat(pid);
    if (!stat || stat->state == 'Z' || stat->state == 'X')
      return sys::Error::plain("", "container process is already dead: " + death_before_exec(pid));
    usleep(100);
  }
  return {};
}

}  // namespace minirun::runtime
