// exec_in_container: the parent opens /proc/<init>/ns/* and /proc/<init>/root, enters the
// container's pid namespace for its children only, and forks once. The child joins the other
// namespaces (user first), takes init's root, sets itself up like init's last steps and execs.
#include "runtime/process/exec.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <utility>

#include "runtime/cgroups/driver.hpp"
#include "runtime/container/status.hpp"
#include "runtime/process/console_socket.hpp"
#include "runtime/process/init.hpp"
#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/preserved_fds.hpp"
#include "runtime/process/process.hpp"
#include "runtime/process/process_tail.hpp"
#include "runtime/process/seccomp.hpp"
#include "runtime/process/security.hpp"
#include "runtime/process/supervise.hpp"
#include "runtime/process/sync.hpp"
#include "runtime/process/terminal.hpp"
#include "runtime/process/user_home.hpp"
#include "runtime/sys/file.hpp"
#include "spec/namespace_kinds.hpp"
#include "spec/parse.hpp"

namespace minirun::runtime {

namespace {

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

bool same_namespace(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  return fstat(fd, &a) == 0 && stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

// Every namespace of the live init that is not ours, whatever config.json says: the container
// may have rewritten its bundle since create, and a joined namespace is the same one anyway.
// (setns into one's own user namespace fails, so the ones we share are left out.)
sys::Result<std::vector<JoinedNamespace>> open_init_namespaces(pid_t pid) {
  std::vector<JoinedNamespace> out;
  // spec::namespace_kinds() is in joining order: user first, mount last.
  for (const auto& kind : spec::namespace_kinds()) {
    std::string name(kind.proc_name);
    std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
    sys::Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      if (errno == ENOENT) continue;  // a kernel without this namespace type
      return sys::Error::from_errno("namespaces", "open " + path);
    }
    if (same_namespace(fd.get(), std::string("/proc/self/ns/") + name)) continue;
    out.push_back(JoinedNamespace{kind.type, path, std::move(fd)});
  }
  return out;
}

sys::Status enter_pid_namespace(const std::vector<JoinedNamespace>& joins) {
  for (const auto& ns : joins)
    if (ns.type == spec::NamespaceType::pid && setns(ns.fd.get(), CLONE_NEWPID) < 0)
      return sys::Error::from_errno("namespaces", "join pid namespace " + ns.path);
  return {};
}

// The child's steps, in init's order from the namespaces on; returns only on failure.
sys::Status exec_steps(const ExecPlan& plan) {
  const spec::Process& process = plan.process;
  const spec::Linux empty_linux;
  const spec::Linux& linux = plan.config->linux ? *plan.config->linux : empty_linux;
  int sync = plan.sync_fd;

  MR_TRY(expect_sync(sync, SyncType::setup_done));
  // Raising a hard limit is impossible once inside a new user namespace: do it first.
  MR_TRY(apply_rlimits(process.rlimits));
  for (const auto& ns : plan.joins) {
    if (ns.type == spec::NamespaceType::pid) continue;
    if (setns(ns.fd.get(), clone_flag(ns.type)) < 0)
      return sys::Error::from_errno("namespaces", "join " + ns.path);
  }
  // setns(mnt) puts us at the namespace's root, which is the host's root after --no-pivot's
  // chroot; init's own root is right either way.
  if (fchdir(plan.root.get()) < 0 || chroot(".") < 0 || chdir("/") < 0)
    return sys::Error::from_errno("rootfs", "enter the container's root");
  // In the container now: nothing of the host's stays open.
  for (const auto& ns : plan.joins) close(ns.fd.get());
  close(plan.root.get());

  if (process.terminal) {
    auto master = setup_console(process.consoleSize, /*bind_on_dev_console=*/false);
    if (!master) return master.error();
    MR_TRY(send_sync_fd(sync, SyncType::console, master->get()));
  }
  ProcessTail tail;
  tail.process = &process;
  tail.personality = linux.personality;
  tail.seccomp = plan.seccomp ? &*plan.seccomp : nullptr;
  tail.preserve_fds = plan.preserve_fds;
  tail.exec_sigmask = plan.exec_sigmask;
  return run_process_tail(tail);
}

[[noreturn]] void run_exec_child(const ExecPlan& plan) {
  // As init does (run_init): nothing in the container may open this process's fds or exe
  // through /proc, and it keeps no fd of the runtime's or its caller's but what it needs, so
  // a leaked host directory cannot become its cwd (`--cwd /proc/self/fd/N`).
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  name_before_exec();
  std::vector<int> keep{plan.sync_fd, plan.root.get()};
  for (const auto& ns : plan.joins) keep.push_back(ns.fd.get());
  auto status = close_fds_from(3 + plan.preserve_fds, std::move(keep));
  if (status) status = exec_steps(plan);
  (void)send_sync_error(plan.sync_fd, status.error());
  _exit(1);
}

// Serves the child until it has exec'd (EOF: the sync socket is close-on-exec) or failed.
sys::Status await_exec(int sync, pid_t pid, sys::Fd* console) {
  for (;;) {
    sys::Fd fd;
    auto msg = recv_sync(sync, &fd);
    if (!msg) return is_eof(msg.error()) ? exec_outcome(pid) : sys::Status{msg.error()};
    if (msg->type == SyncType::console)
      *console = std::move(fd);
    else if (msg->type == SyncType::error)
      return error_from_sync(*msg);
    else
      return sys::Error::plain("sync", "unexpected message from the exec process");
  }
}

class SignalMask {
 public:
  explicit SignalMask(const sigset_t* block) { sigprocmask(SIG_BLOCK, block, &saved_); }
  ~SignalMask() { sigprocmask(SIG_SETMASK, &saved_, nullptr); }
  const sigset_t& saved() const { return saved_; }

 private:
  sigset_t saved_{};
};

// The config create ran, kept in state.json: never the bundle's config.json, which the
// container may have rewritten (a rootfs that is the bundle, a bind mount of it).
sys::Result<spec::Config> container_config(const spec::State& state) {
  if (state.config.empty())
    return sys::Error::plain("", "container " + state.id +
                                     " was created by an older minirun that did not keep its "
                                     "config; recreate it to exec into it");
  try {
    return spec::parse_config(state.config);
  } catch (const spec::ConfigError& e) {
    return sys::Error::plain("state", "damaged state.json: config: " + std::string(e.what()));
  }
}

}  // namespace

sys::Result<int> exec_in_container(const Container& container, const ExecOptions& options) {
  reserve_preserved_fds(options.preserve_fds);
  const spec::State* state = &container.state();
  if (state->status == spec::ContainerStatus::stopped)
    return sys::Error::plain("", "cannot exec in a stopped container");
  if (state->status == spec::ContainerStatus::creating) return being_created(container.id());
  if (state->status == spec::ContainerStatus::paused && !options.ignore_paused)
    return sys::Error::plain("",
                             "cannot exec in a paused container (use --ignore-paused to override)");
  auto config = container_config(*state);
  if (!config) return config.error();

  ExecPlan plan;
  plan.config = &*config;
  auto process = build_exec_process(options, *config);
  if (!process) return process.error();
  plan.process = std::move(*process);
  if (plan.process.terminal && options.detach && options.console_socket.empty())
    return sys::Error::plain(
        "", "cannot allocate tty if minirun will detach without setting console socket");
  auto seccomp = compile_seccomp(config->linux ? config->linux->seccomp : std::nullopt);
  if (!seccomp) return seccomp.error();
  plan.seccomp = std::move(*seccomp);
  auto joins = open_init_namespaces(state->pid);
  if (!joins) return joins.error();
  plan.joins = std::move(*joins);
  std::string root_path = "/proc/" + std::to_string(state->pid) + "/root";
  plan.root = sys::Fd(open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!plan.root) return sys::Error::from_errno("rootfs", "open " + root_path);
  // The fds above name init's namespaces only if init is still the process we looked at.
  if (!init_alive(state->pid, state->init_start_time))
    return sys::Error::plain("", "cannot exec in a stopped container");
  plan.preserve_fds = options.preserve_fds;

  sigset_t forwarded = forwarded_signals();
  sigset_t nothing;
  sigemptyset(&nothing);
  SignalMask blocked(options.detach ? &nothing : &forwarded);
  plan.exec_sigmask = blocked.saved();
  auto pair = make_sync_pair();
  if (!pair) return pair.error();
  plan.sync_fd = pair->child.get();
  // Applies to our children only: the one we fork next is born in the container's pid ns.
  MR_TRY(enter_pid_namespace(plan.joins));
  pid_t pid = fork();
  if (pid < 0) return sys::Error::from_errno("exec", "fork");
  if (pid == 0) run_exec_child(plan);
  pair->child.reset();

  sys::Fd console;
  auto started = [&]() -> sys::Status {
    MR_TRY(cgroup_driver_of(*state).join(state->cgroup_paths, pid));
    if (plan.process.oomScoreAdj)
      MR_TRY(sys::write_file("/proc/" + std::to_string(pid) + "/oom_score_adj",
                             std::to_string(*plan.process.oomScoreAdj), "oom_score_adj"));
    MR_TRY(send_sync(pair->parent.get(), SyncType::setup_done));
    MR_TRY(await_exec(pair->parent.get(), pid, &console));
    if (console.valid() && !options.console_socket.empty())
      MR_TRY(send_console(options.console_socket, console.get()));
    if (!options.pid_file.empty())
      MR_TRY(sys::write_file_atomic(options.pid_file, std::to_string(pid), "pid-file"));
    return {};
  }();
  if (!started) {
    kill_and_reap(pid);
    return started.error();
  }
  if (options.detach) return 0;
  sys::Fd proxied = options.console_socket.empty() ? std::move(console) : sys::Fd();
  auto code = supervise(pid, proxied);
  if (!code) kill_and_reap(pid);
  return code;
}

}  // namespace minirun::runtime
