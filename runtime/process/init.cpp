#include "runtime/process/init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "runtime/container/hooks.hpp"
#include "runtime/process/keyring.hpp"
#include "runtime/network/loopback.hpp"
#include "runtime/process/preserved_fds.hpp"
#include "runtime/process/process.hpp"
#include "runtime/rootfs/rootfs.hpp"
#include "runtime/process/security.hpp"
#include "runtime/container/state_store.hpp"
#include "runtime/process/sync.hpp"
#include "runtime/network/sysctl.hpp"
#include "runtime/process/terminal.hpp"
#include "runtime/sys/trace.hpp"
#include "runtime/process/user_home.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

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

// Runs init's steps up to the exec; returns only on failure.
sys::Status init_steps(const InitPlan& plan) {
  const spec::Config& config = *plan.config;
  const spec::Process& process = *config.process;
  const spec::Linux empty_linux;
  const spec::Linux& linux = config.linux ? *config.linux : empty_linux;
  int sync = plan.sync_fd;

  // The parent places init (id maps, cgroups, the network namespace it makes) while init gets
  // on with its mounts. Init waits for it first thing in a new user namespace (nothing works
  // before the maps), else just before the first step that needs its cgroups or its network
  // namespace: a cgroup or sysfs mount, a hook, the exec.
  bool placed = false;
  auto await_placement = [&]() -> sys::Status {
    if (placed) return {};
    placed = true;
    sys::Fd netns;
    MR_TRY(traced("wait for parent", "id maps, cgroups, network namespace",
                  [&] { return expect_sync(sync, SyncType::setup_done, &netns); }));
    if (plan.namespaces.net_by_parent()) {
      if (!netns) return sys::Error::plain("network", "no network namespace from the parent");
      if (setns(netns.get(), CLONE_NEWNET) < 0)
        return sys::Error::from_errno("network", "join the network namespace made for init");
    }
    if (plan.namespaces.new_cgroup)
      MR_TRY(traced("cgroup namespace", "", [&] { return enter_cgroup_namespace(); }));
    return {};
  };
  if (plan.namespaces.new_user) MR_TRY(await_placement());
  // The state init's own hooks read; their host pid costs a readlink, so only for them.
  spec::State state = plan.hook_state;
  if (has_hooks(config, HookKind::createContainer) || has_hooks(config, HookKind::startContainer))
    state.pid = host_pid();
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

  auto before_pivot = [&]() -> sys::Status {
    MR_TRY(await_placement());
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
    return mount_waits_for_parent(plan.namespaces, mount) ? await_placement() : sys::Status{};
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
  MR_TRY(finish_root_propagation(config));

  // HOME from the container's /etc/passwd when process.env has none, where runc reads it:
  // in the container's root, after the masks, as root, and before the seccomp filter (no
  // syscall of ours may follow the filter but runc's own).
  const auto env = container_env(process);

  MR_TRY(traced("rlimits", "", [&] { return apply_rlimits(process.rlimits); }));
  MR_TRY(apply_process_attributes(process, linux.personality));
  // Every fd but stdio and --preserve-fds closes at exec: the sync socket, the fifo and
  // whatever a hook left (CVE-2024-21626). Before the filter: close_range is not among the
  // calls runc makes after it.
  MR_TRY(cloexec_fds_from(3 + plan.preserve_fds));
  // From the filter on, only the calls of spec/post_filter_syscalls.hpp until execve.
  if (process.noNewPrivileges) MR_TRY(traced("no_new_privs", "", set_no_new_privs));
  // Without no_new_privs, installing a filter needs CAP_SYS_ADMIN: do it before the drop.
  if (plan.seccomp && !process.noNewPrivileges)
    MR_TRY(traced("seccomp", "", [&] { return install_seccomp(*plan.seccomp); }));
  MR_TRY(traced("capabilities", "user and groups", [&] { return drop_privileges(process); }));
  MR_TRY(enter_cwd(process.cwd.empty() ? "/" : process.cwd));

  auto executable = find_executable(process.args[0], process.env);
  if (!executable) return executable.error();

  MR_TRY(send_ready(sync));
  if (plan.exec_fifo_fd >= 0)
    MR_TRY(
        traced("wait for start", "exec.fifo", [&] { return wait_for_start(plan.exec_fifo_fd); }));
  // As close to execve as possible, so the filter sees only the container's own syscalls.
  if (plan.seccomp && process.noNewPrivileges)
    MR_TRY(traced("seccomp", "", [&] { return install_seccomp(*plan.seccomp); }));
  // In the container, as its user, right before the exec (runc and crun alike).
  MR_TRY(run_hooks(config, HookKind::startContainer, state, 3 + plan.preserve_fds));
  if (trace_enabled()) trace_line("exec", *executable, 0);

  sigprocmask(SIG_SETMASK, &plan.exec_sigmask, nullptr);
  auto argv = c_strings(process.args);
  auto envp = c_strings(env ? *env : process.env);
  execve(executable->c_str(), argv.data(), envp.data());
  return sys::Error::from_errno("exec", "exec " + *executable);
}

}  // namespace

namespace {

// Go's exec.LookPath test, which runc uses: a file that is not a directory and has an execute
// bit. stat(2) (newfstatat), not access(2): the call runc makes after its seccomp filter.
int executable_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) < 0) return errno;
  return !S_ISDIR(st.st_mode) && (st.st_mode & 0111) ? 0 : EACCES;
}

}  // namespace

sys::Result<std::string> find_executable(const std::string& name,
                                         const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) {
    if (int err = executable_file(name); err != 0)
      return sys::Error{"exec", "\"" + name + "\": stat " + name, err};
    return name;
  }
  std::string path = kDefaultPath;
  for (const auto& entry : env)
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(candidate) == 0) return candidate;
    start = end + 1;
  }
  return sys::Error::plain("exec", "\"" + name + "\": executable file not found in $PATH");
}

void run_init(const InitPlan& plan) {
  // Before the container has a process that could look: neither this process's fds nor its
  // exe (the sealed binary) may be opened through /proc/PID by anyone without CAP_SYS_PTRACE,
  // and init holds no fd of the runtime's or its caller's but what it needs: the sync socket,
  // the fifo, the namespaces it joins. The parent's end of the socket and the middle
  // process's report pipe go with the rest.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  name_before_exec();
  std::vector<int> keep{plan.sync_fd};
  if (plan.exec_fifo_fd >= 0) keep.push_back(plan.exec_fifo_fd);
  for (const auto& ns : plan.namespaces.joins) keep.push_back(ns.fd.get());
  auto status = close_fds_from(3 + plan.preserve_fds, std::move(keep));
  if (status) status = init_steps(plan);
  (void)send_sync_error(plan.sync_fd, status.error());
  _exit(1);
}

}  // namespace minirun::runtime
