#include "runtime/container.hpp"

#include <signal.h>
#include <unistd.h>

#include "runtime/bundle.hpp"
#include "runtime/process.hpp"
#include "runtime/seccomp.hpp"
#include "runtime/state_store.hpp"
#include "runtime/supervise.hpp"
#include "runtime/sync.hpp"
#include "runtime/sys/file.hpp"
#include "spec/validate.hpp"

namespace minirun::runtime {

namespace {

// Restores the caller's signal mask when the run ends, whichever way.
class BlockedSignals {
 public:
  explicit BlockedSignals(const sigset_t& set) { sigprocmask(SIG_BLOCK, &set, &saved_); }
  ~BlockedSignals() { sigprocmask(SIG_SETMASK, &saved_, nullptr); }
  const sigset_t& saved() const { return saved_; }

 private:
  sigset_t saved_{};
};

spec::State initial_state(const RunOptions& options, const Bundle& bundle, pid_t pid) {
  spec::State state;
  state.ociVersion = bundle.config.ociVersion;
  state.id = options.id;
  state.pid = pid;
  state.status = "created";
  state.bundle = bundle.dir;
  state.rootfs = bundle.rootfs;
  state.created = rfc3339_now();
  state.annotations = bundle.config.annotations;
  state.init_start_time = process_start_time(pid);
  return state;
}

// Parent side of init's start: serve its messages until it has exec'd (EOF on the socket).
sys::Status await_exec(const InitProcess& init, sys::Fd* console, const StateDir& dir,
                       spec::State& state, const RunOptions& options) {
  for (;;) {
    sys::Fd fd;
    auto msg = recv_sync(init.sync.get(), &fd);
    if (!msg) return is_eof(msg.error()) ? sys::Status{} : sys::Status{msg.error()};
    switch (msg->type) {
      case SyncType::console:
        *console = std::move(fd);
        break;
      case SyncType::ready:
        state.status = "running";
        MR_TRY(dir.write(state));
        if (!options.pid_file.empty())
          MR_TRY(sys::write_file_atomic(options.pid_file, std::to_string(init.pid), "pid-file"));
        MR_TRY(send_sync(init.sync.get(), SyncType::start));
        break;
      case SyncType::error:
        return error_from_sync(*msg);
      default:
        return sys::Error::plain("sync", "unexpected message from init");
    }
  }
}

}  // namespace

sys::Result<int> run_container(const RunOptions& options) {
  if (!spec::is_valid_container_id(options.id))
    return sys::Error::plain("", "invalid container ID format: \"" + options.id + "\"");
  auto bundle = load_bundle(options.bundle);
  if (!bundle) return bundle.error();
  const spec::Config& config = bundle->config;
  if (config.process->terminal && options.detach)
    return sys::Error::plain("", "cannot allocate tty if minirun will detach without setting console socket");

  InitPlan plan;
  plan.config = &config;
  plan.rootfs = bundle->rootfs;
  plan.no_pivot = options.no_pivot;
  auto namespaces = plan_namespaces(config);
  if (!namespaces) return namespaces.error();
  plan.namespaces = std::move(*namespaces);
  auto seccomp = compile_seccomp(config.linux ? config.linux->seccomp : std::nullopt);
  if (!seccomp) return seccomp.error();
  plan.seccomp = std::move(*seccomp);

  auto dir = StateDir::create(options.root, options.id);
  if (!dir) return dir.error();

  BlockedSignals blocked(forwarded_signals());
  plan.exec_sigmask = blocked.saved();
  auto init = spawn_init(plan);
  if (!init) return init.error();

  spec::State state = initial_state(options, *bundle, init->pid);
  sys::Fd console;
  auto started = [&]() -> sys::Status {
    if (config.process->oomScoreAdj)
      MR_TRY(sys::write_file("/proc/" + std::to_string(init->pid) + "/oom_score_adj",
                             std::to_string(*config.process->oomScoreAdj), "oom_score_adj"));
    return await_exec(*init, &console, *dir, state, options);
  }();
  if (!started) {
    kill_and_reap(init->pid);
    if (!options.pid_file.empty()) unlink(options.pid_file.c_str());
    return started.error();
  }
  init->sync.reset();
  if (options.detach) {
    dir->keep();
    return 0;
  }
  auto code = supervise(init->pid, console);
  if (!code) kill_and_reap(init->pid);
  return code;
}

}  // namespace minirun::runtime
