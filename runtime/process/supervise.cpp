#include "runtime/process/supervise.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "runtime/process/terminal.hpp"

namespace minirun::runtime {

namespace {

// Copies what is available; false at EOF or error.
bool pump(int from, int to) {
  char buf[8192];
  ssize_t n = read(from, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  for (ssize_t done = 0; done < n;) {
    ssize_t w = write(to, buf + done, static_cast<size_t>(n - done));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return false;
    done += w;
  }
  return true;
}

std::optional<int> reap(pid_t pid) {
  int status = 0;
  pid_t r = waitpid(pid, &status, WNOHANG);
  if (r != pid) return std::nullopt;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return std::nullopt;
}

}  // namespace

sigset_t forwarded_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD})
    sigaddset(&set, sig);
  return set;
}

sys::Result<int> supervise(pid_t pid, const sys::Fd& console) {
  sigset_t set = forwarded_signals();
  sys::Fd sigfd(signalfd(-1, &set, SFD_CLOEXEC));
  if (!sigfd) return sys::Error::from_errno("run", "signalfd");

  std::optional<RawMode> raw;
  bool stdin_open = console.valid();
  if (console.valid()) {
    raw.emplace(STDIN_FILENO);
    copy_window_size(STDIN_FILENO, console.get());
  }
  bool console_open = console.valid();
  for (;;) {
    // The child may have ended before the signalfd existed.
    if (auto code = reap(pid)) {
      if (console_open) {
        fcntl(console.get(), F_SETFL, fcntl(console.get(), F_GETFL) | O_NONBLOCK);
        while (pump(console.get(), STDOUT_FILENO)) {
          struct pollfd p {
            console.get(), POLLIN, 0
          };
          if (poll(&p, 1, 0) <= 0) break;
        }
      }
      return *code;
    }
    struct pollfd fds[3] = {{sigfd.get(), POLLIN, 0},
                            {console_open ? console.get() : -1, POLLIN, 0},
                            {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return sys::Error::from_errno("run", "poll");
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo info {};
      if (read(sigfd.get(), &info, sizeof info) == sizeof info) {
        int sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGWINCH && console.valid())
          copy_window_size(STDIN_FILENO, console.get());
        else if (sig != SIGCHLD)
          kill(pid, sig);
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
      console_open = pump(console.get(), STDOUT_FILENO);
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR))
      stdin_open = pump(STDIN_FILENO, console.get());
  }
}

}  // namespace minirun::runtime
