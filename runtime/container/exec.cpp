// exec_in_container: the parent opens /proc/<init>/ns/* and /proc/<init>/root, enters the
// container's pid namespace for its children only, and forks once. The child joins the other
// namespaces (user first), takes init's root, sets itself up like init's last steps and execs.
#include "runtime/container/exec.hpp"

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
#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/console_socket.hpp"
#include "runtime/process/exec_child.hpp"
#include "runtime/process/init.hpp"
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
  auto forked = fork_exec_child(plan);
  if (!forked) return forked.error();
  const pid_t pid = *forked;
  pair->child.reset();

  sys::Fd console;
  auto started = [&]() -> sys::Status {
    MR_TRY(cgroup_driver_of(*state).join(state->cgroup_paths, pid));
    if (plan.process.oomScoreAdj) MR_TRY(set_oom_score_adj(pid, *plan.process.oomScoreAdj));
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
