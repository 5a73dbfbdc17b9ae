#include "runtime/process/init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "runtime/network/loopback.hpp"
#include "runtime/network/sysctl.hpp"
#include "runtime/process/hooks.hpp"
#include "runtime/process/keyring.hpp"
#include "runtime/process/preserved_fds.hpp"
#include "runtime/process/process.hpp"
#include "runtime/process/process_tail.hpp"
#include "runtime/process/security.hpp"
#include "runtime/process/sync.hpp"
#include "runtime/process/terminal.hpp"
#include "runtime/process/user_home.hpp"
#include "runtime/rootfs/rootfs.hpp"
#include "runtime/sys/trace.hpp"

namespace minirun::runtime {

namespace {

sys::Status set_names(const spec::Config& config) {
  if (!config.hostname.empty() && sethostname(config.hostname.data(), config.hostname.size()) < 0)
    return sys::Error::from_errno("hostname", "sethostname " + config.hostname);
  if (!config.domainname.empty() &&
      setdomainname(config.domainname.data(), config.domainname.size()) < 0)
    return sys::Error::from_errno("hostname", "setdomainname " + config.domainname);
  return {};
}

// Blocks until `start` (or run's parent) opens exec.fifo for reading, as runc's init does:
// the parent of `create` has exited by then, so the socket cannot carry the signal. The fifo
// is reopened for writing through our own /proc/self/fd, as runc does it.
sys::Status wait_for_start(int exec_fifo_fd) {
  std::string path = "/proc/self/fd/" + std::to_string(exec_fifo_fd);
  sys::Fd fifo(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fifo) return sys::Error::from_errno("start", "open exec fifo (" + path + ")");
  if (write(fifo.get(), "0", 1) != 1) return sys::Error::from_errno("start", "write exec fifo");
  return {};
}

// Our pid as the host sees it, for the hooks' state: /proc is still the host's procfs here.
pid_t host_pid() {
  char buf[32] = {};
  ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
  return n > 0 ? static_cast<pid_t>(std::atoi(buf)) : getpid();
}

bool has_hooks(const spec::Config& config, HookKind kind) {
  return !hooks_of(config, kind).empty();
}

// runc's syncParentHooks + createContainer: after the mounts, before pivot_root. The parent
// runs prestart and createRuntime in the runtime's namespaces; createContainer runs here, in
// the container's namespaces with the host's filesystem still reachable.
sys::Status create_time_hooks(const InitPlan& plan, const spec::State& state) {
  const spec::Config& config = *plan.config;
  if (has_hooks(config, HookKind::prestart) || has_hooks(config, HookKind::createRuntime)) {
    MR_TRY(send_sync(plan.sync_fd, SyncType::run_hooks));
    MR_TRY(expect_sync(plan.sync_fd, SyncType::hooks_done));
  }
  return run_hooks(config, HookKind::createContainer, state);
}

RootEntry root_entry(const InitPlan& plan) {
  if (plan.namespaces.in_caller_mount_ns()) return RootEntry::chroot_in_caller_ns;
  return plan.no_pivot ? RootEntry::move_mount : RootEntry::pivot_root;
}

// The parent places init (id maps, cgroups, the network namespace it makes) while init gets
// on with its mounts. Init waits for it first thing in a new user namespace (nothing works
// before the maps), else just before the first step that needs its cgroups or its network
// namespace: a cgroup or sysfs mount, a hook, the exec.
class Placement {
 public:
  Placement(const InitPlan& plan, bool dumpable_until_mapped)
      : plan_(plan), dumpable_until_mapped_(dumpable_until_mapped) {}

  sys::Status await() {
    if (placed_) return {};
    placed_ = true;
    sys::Fd netns;
    MR_TRY(traced("wait for parent", "id maps, cgroups, network namespace",
                  [&] { return expect_sync(plan_.sync_fd, SyncType::setup_done, &netns); }));
    if (dumpable_until_mapped_) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // see run_init
    if (plan_.namespaces.net_by_parent()) {
      if (!netns) return sys::Error::plain("network", "no network namespace from the parent");
      if (setns(netns.get(), CLONE_NEWNET) < 0)
        return sys::Error::from_errno("network", "join the network namespace made for init");
    }
    if (plan_.namespaces.new_cgroup)
      MR_TRY(traced("cgroup namespace", "", [&] { return enter_cgroup_namespace(); }));
    return {};
  }

 private:
  const InitPlan& plan_;
  bool dumpable_until_mapped_;
  bool placed_ = false;
};

// The namespaces init joins or makes itself, and what each needs first: root in a new user
// namespace, the time offsets, the session keyring, lo up in a network namespace of its own.
sys::Status enter_namespaces(const InitPlan& plan, const spec::Linux& linux,
                             const spec::State& state) {
  if (!plan.namespaces.joins.empty()) {
    MR_TRY(traced("namespaces joined", "", [&] { return join_namespaces(plan.namespaces); }));
    for (const auto& ns : plan.namespaces.joins) close(ns.fd.get());
  }
  MR_TRY(become_root_in_user_namespace(plan.namespaces));
  if (plan.namespaces.new_time)
    MR_TRY(traced("time namespace", "", [&] { return enter_time_namespace(linux); }));
  if (plan.new_keyring)
    MR_TRY(traced("session keyring", "_ses." + state.id,
                  [&] { return join_session_keyring(state.id, plan.namespaces.new_user); }));
  if (plan.namespaces.new_net && !plan.namespaces.net_by_parent())
    MR_TRY(traced("loopback up", "lo", [] { return bring_loopback_up(); }));
  return {};
}

// The container's root as runc builds it: the mounts (createContainer hooks before pivot_root,
// the pty after it), hostname, the sysctls through a private procfs, then the readonly and
// masked paths that must follow the sysctls (this is where /proc/sys turns read-only).
sys::Status build_root(const InitPlan& plan, const spec::Linux& linux, const spec::State& state,
                       Placement& placement) {
  const spec::Config& config = *plan.config;
  const spec::Process& process = *config.process;
  int sync = plan.sync_fd;
  auto before_pivot = [&]() -> sys::Status {
    MR_TRY(placement.await());
    // Hooks and the process expect lo up (the parent brings it up meanwhile).
    if (plan.namespaces.net_by_parent()) MR_TRY(expect_sync(sync, SyncType::loopback_up));
    return create_time_hooks(plan, state);
  };
  // The pty comes from the container's own devpts, before /dev may turn read-only.
  auto after_pivot = [&]() -> sys::Status {
    if (!process.terminal) return {};
    auto master = setup_console(process.consoleSize, /*bind_on_dev_console=*/true);
    if (!master) return master.error();
    return send_sync_fd(sync, SyncType::console, master->get());
  };
  // A cgroup mount shows the cgroup namespace of whoever mounts it, sysfs their network
  // namespace's devices.
  auto before_mount = [&](const spec::Mount& mount) -> sys::Status {
    return mount_waits_for_parent(plan.namespaces, mount) ? placement.await() : sys::Status{};
  };
  RootfsStepOrder order = order_rootfs_steps(config, plan.namespaces);
  MR_TRY(traced("rootfs", plan.rootfs, [&] {
    return prepare_rootfs(config, plan.rootfs, root_entry(plan), order,
                          {before_mount, before_pivot, after_pivot});
  }));
  MR_TRY(traced("hostname", config.hostname, [&] { return set_names(config); }));
  MR_TRY(write_sysctls(linux.sysctl));
  // The rest of them: the early ones are in place already (rootfs_order.hpp).
  if (!order.late_readonly.empty())
    MR_TRY(traced("readonly paths", "after the sysctls",
                  [&] { return apply_readonly_paths(order.late_readonly); }));
  if (!order.late_masked.empty())
    MR_TRY(traced("masked paths", "after the sysctls",
                  [&] { return apply_masked_paths(order.late_masked); }));
  return finish_root_propagation(config);
}

// Runs init's steps up to the exec; returns only on failure.
sys::Status init_steps(const InitPlan& plan, bool dumpable_until_mapped) {
  const spec::Config& config = *plan.config;
  const spec::Process& process = *config.process;
  const spec::Linux empty_linux;
  const spec::Linux& linux = config.linux ? *config.linux : empty_linux;

  Placement placement(plan, dumpable_until_mapped);
  if (plan.namespaces.new_user) MR_TRY(placement.await());
  // The state init's own hooks read; their host pid costs a readlink, so only for them.
  spec::State state = plan.hook_state;
  if (has_hooks(config, HookKind::createContainer) || has_hooks(config, HookKind::startContainer))
    state.pid = host_pid();
  MR_TRY(enter_namespaces(plan, linux, state));
  MR_TRY(build_root(plan, linux, state, placement));
  MR_TRY(traced("rlimits", "", [&] { return apply_rlimits(process.rlimits); }));

  ProcessTail tail(process, linux, plan.seccomp, plan.preserve_fds, plan.exec_sigmask);
  tail.before_late_filter = [&]() -> sys::Status {
    MR_TRY(send_ready(plan.sync_fd));
    if (plan.exec_fifo_fd < 0) return {};
    return traced("wait for start", "exec.fifo", [&] { return wait_for_start(plan.exec_fifo_fd); });
  };
  // In the container, as its user, right before the exec (runc and crun alike).
  tail.after_late_filter = [&] {
    return run_hooks(config, HookKind::startContainer, state, 3 + plan.preserve_fds);
  };
  return run_process_tail(tail);
}

}  // namespace

void run_init(const InitPlan& plan) {
  // Before the container has a process that could look: neither this process's fds nor its
  // exe (the sealed binary) may be opened through /proc/PID by anyone without CAP_SYS_PTRACE,
  // and init holds no fd of the runtime's or its caller's but what it needs: the sync socket,
  // the fifo, the namespaces it joins. The parent's end of the socket and the middle
  // process's report pipe go with the rest.
  //
  // Except in a new user namespace an unprivileged caller made, until the parent has written
  // its maps: a non-dumpable process's /proc/PID files belong to its namespace's root, not
  // mapped yet, so to the host's root, and neither the parent (uid_map, gid_map, setgroups) nor
  // newuidmap (which checks who owns /proc/PID) could open them; whether init got here first
  // was a race. runc's nsexec is dumpable for its map request too. The caller's own processes
  // are all that could look meanwhile, and nothing of the container runs yet.
  const bool dumpable_until_mapped = plan.namespaces.new_user && geteuid() != 0;
  if (!dumpable_until_mapped) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  name_before_exec();
  std::vector<int> keep{plan.sync_fd};
  if (plan.exec_fifo_fd >= 0) keep.push_back(plan.exec_fifo_fd);
  for (const auto& ns : plan.namespaces.joins) keep.push_back(ns.fd.get());
  auto status = close_fds_from(3 + plan.preserve_fds, std::move(keep));
  if (status) status = init_steps(plan, dumpable_until_mapped);
  (void)send_sync_error(plan.sync_fd, status.error());
  _exit(1);
}

}  // namespace minirun::runtime
