#include "runtime/process/hooks.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "runtime/sys/fd.hpp"
#include "spec/quote.hpp"

namespace minirun::runtime {

namespace {

constexpr size_t kOutputLimit = 64 * 1024;

struct Pipe {
  sys::Fd read;
  sys::Fd write;
};

sys::Result<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return sys::Error::from_errno("hooks", "pipe");
  return Pipe{sys::Fd(fds[0]), sys::Fd(fds[1])};
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// fd onto target for the exec: dup3, which runc's hook child calls too (dup2 is another
// syscall), and which refuses fd == target.
void stdio_onto(int fd, int target) {
  if (fd == target)
    fcntl(fd, F_SETFD, 0);
  else
    dup3(fd, target, 0);
}

// In the forked child: stdio onto the pipes, nothing else open, default signal mask, exec.
[[noreturn]] void exec_hook(const spec::Hook& hook, int in, int out, int err, pid_t runtime,
                            int cloexec_from) {
  // A hook must not outlive the minirun that waits for it (kill -9 mid-create). The kernel
  // sends the signal when the forking thread ends: minirun has only one. If it died before the
  // prctl, we have been reparented already.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != runtime) _exit(127);
  stdio_onto(in, STDIN_FILENO);
  stdio_onto(out, STDOUT_FILENO);
  stdio_onto(err, STDERR_FILENO);
  if (cloexec_from < 0) {
    syscall(SYS_close_range, 3U, ~0U, 0U);
  } else {
    // Past the seccomp filter in init: only the preserved fds are still inheritable.
    for (int fd = 3; fd < cloexec_from; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // args[0] is argv[0]; with no args the path stands in for it, as Go's exec.Cmd does.
  std::vector<std::string> args =
      hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  auto argv = c_strings(args);
  auto envp = c_strings(hook.env);
  execve(hook.path.c_str(), argv.data(), envp.data());
  std::string why = "exec " + hook.path + ": " + std::strerror(errno) + "\n";
  (void)!write(STDERR_FILENO, why.data(), why.size());
  _exit(127);
}

// Reads what the non-blocking pipe holds into *into (up to the limit); false at EOF or error.
bool drain(int fd, std::string* into) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    if (n <= 0) return false;
    into->append(
        buf, std::min(static_cast<size_t>(n), kOutputLimit - std::min(kOutputLimit, into->size())));
  }
}

// Writing the state to a hook that exited without reading it must not kill us with SIGPIPE.
class IgnoredSigpipe {
 public:
  IgnoredSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &saved_);
  }
  ~IgnoredSigpipe() { sigaction(SIGPIPE, &saved_, nullptr); }

 private:
  struct sigaction saved_ {};
};

std::string exit_text(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal: ") + strsignal(WTERMSIG(status));
  return "unknown exit";
}

std::string timeout_text(int seconds) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "hook ran past specified timeout of %d.0s", seconds);
  return buf;
}

// One hook: "" when it exited 0, else what went wrong (runc's wording).
sys::Result<std::string> run_one(const spec::Hook& hook, const std::string& state_json,
                                 int cloexec_from) {
  auto in = make_pipe();
  if (!in) return in.error();
  auto out = make_pipe();
  if (!out) return out.error();
  auto err = make_pipe();
  if (!err) return err.error();

  IgnoredSigpipe no_sigpipe;
  const pid_t runtime = getpid();
  pid_t pid = fork();
  if (pid < 0) return sys::Error::from_errno("hooks", "fork");
  if (pid == 0)
    exec_hook(hook, in->read.get(), out->write.get(), err->write.get(), runtime, cloexec_from);
  in->read.reset();
  out->write.reset();
  err->write.reset();
  for (int fd : {in->write.get(), out->read.get(), err->read.get()})
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

  using Clock = std::chrono::steady_clock;
  const bool timed = hook.timeout && *hook.timeout > 0;
  const auto deadline = Clock::now() + std::chrono::seconds(timed ? *hook.timeout : 0);
  size_t written = 0;
  std::string stdout_text, stderr_text;
  bool out_open = true, err_open = true;
  int status = 0;
  // Until the hook exits: feed stdin, collect output. A hook that leaves a daemon holding its
  // stdout must not hang us, so the exit, not EOF, ends the loop. startContainer hooks run in
  // init past the seccomp filter, where a profile written for runc allows what runc calls
  // there: so non-blocking reads and writes, wait4(WNOHANG), and naps on a futex nobody wakes
  // (how Go's runtime sleeps), backing off from 20 us to 1 ms; no poll(2), no pidfd.
  long nap_ns = 20'000;
  uint32_t never_woken = 0;
  for (;;) {
    if (in->write.valid()) {
      ssize_t n = write(in->write.get(), state_json.data() + written, state_json.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == state_json.size())
        in->write.reset();
    }
    if (out_open) out_open = drain(out->read.get(), &stdout_text);
    if (err_open) err_open = drain(err->read.get(), &stderr_text);
    pid_t done = wait4(pid, &status, WNOHANG, nullptr);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (timed && Clock::now() >= deadline) {
      kill(pid, SIGKILL);
      while (wait4(pid, &status, 0, nullptr) < 0 && errno == EINTR) {
      }
      return timeout_text(*hook.timeout);
    }
    struct timespec nap {
      0, nap_ns
    };
    syscall(SYS_futex, &never_woken, FUTEX_WAIT_PRIVATE, 0U, &nap, nullptr, 0U);
    nap_ns = std::min(nap_ns * 2, 1'000'000L);
  }
  // What the hook wrote before it ended is in the pipes; a daemon it left may write more.
  if (out_open) drain(out->read.get(), &stdout_text);
  if (err_open) drain(err->read.get(), &stderr_text);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::string();
  // Quoted: what a hook prints is anything, and the message must stay one line.
  return exit_text(status) + ", stdout: " + spec::go_quote(stdout_text) +
         ", stderr: " + spec::go_quote(stderr_text);
}

}  // namespace

std::string_view hook_kind_name(HookKind kind) {
  return spec::hook_kind_info(kind).name;
}

const std::vector<spec::Hook>& hooks_of(const spec::Config& config, HookKind kind) {
  static const std::vector<spec::Hook> none;
  if (!config.hooks) return none;
  return (*config.hooks).*spec::hook_kind_info(kind).list;
}

namespace {

sys::Status run_hook(const spec::Hook& hook, size_t index, HookKind kind,
                     const std::string& state_json, int cloexec_from = -1) {
  auto failure = run_one(hook, state_json, cloexec_from);
  std::string prefix = "error running " + std::string(hook_kind_name(kind)) + " hook #" +
                       std::to_string(index) + ": ";
  if (!failure) return sys::Error{"", prefix + failure.error().describe(), 0};
  if (!failure->empty()) return sys::Error::plain("", prefix + *failure);
  return {};
}

}  // namespace

sys::Status run_hooks(const std::vector<spec::Hook>& hooks, HookKind kind,
                      const std::string& state_json, int cloexec_from) {
  for (size_t i = 0; i < hooks.size(); ++i)
    MR_TRY(run_hook(hooks[i], i, kind, state_json, cloexec_from));
  return {};
}

sys::Status run_hooks(const spec::Config& config, HookKind kind, const spec::State& state,
                      int cloexec_from) {
  const auto& hooks = hooks_of(config, kind);
  return hooks.empty() ? sys::Status{}
                       : run_hooks(hooks, kind, hook_state_json(state, kind), cloexec_from);
}

void run_hooks_warn_only(const std::vector<spec::Hook>& hooks, HookKind kind,
                         const std::string& state_json) {
  for (size_t i = 0; i < hooks.size(); ++i)
    if (auto one = run_hook(hooks[i], i, kind, state_json); !one)
      std::fprintf(stderr, "minirun: warning: %s\n",
                   spec::one_line(one.error().describe()).c_str());
}

std::string hook_state_json(spec::State state, HookKind kind) {
  state.status = spec::hook_kind_info(kind).state_status;
  return spec::state_to_compact_json(state);
}

}  // namespace minirun::runtime
