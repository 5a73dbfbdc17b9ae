#include "harness_spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "harness.hpp"
#include "harness_registry.hpp"

namespace minirun::itest {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Output still arriving after the exit (the last lines of a terminal) is read this long.
constexpr milliseconds kDrainGrace{200};

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

std::runtime_error failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Only async-signal-safe calls from here to the exec.
[[noreturn]] void exec_child(char** argv, int stdin_fd, int stdout_fd, int stderr_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) _exit(127);
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  execvp(argv[0], argv);
  const char msg[] = "exec failed\n";
  (void)!write(2, msg, sizeof msg - 1);
  _exit(127);
}

}  // namespace

Spawned::Spawned(const std::vector<std::string>& argv, Stdio stdio, TerminalSize size) {
  if (argv.empty()) throw std::invalid_argument("Spawned: empty argv");
  result_.argv = argv;
  std::vector<std::string> copy = argv;
  std::vector<char*> c_argv;
  for (auto& a : copy) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);

  if (stdio == Stdio::pty) {
    master_fd_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_fd_ < 0) throw failure("posix_openpt");
    char slave_path[64];
    if (grantpt(master_fd_) < 0 || unlockpt(master_fd_) < 0 ||
        ptsname_r(master_fd_, slave_path, sizeof slave_path) != 0)
      throw failure("pty set-up");
    struct winsize ws {};
    ws.ws_row = size.rows;
    ws.ws_col = size.cols;
    if (ioctl(master_fd_, TIOCSWINSZ, &ws) < 0) throw failure("TIOCSWINSZ");
    out_fd_ = fcntl(master_fd_, F_DUPFD_CLOEXEC, 0);
    if (out_fd_ < 0) throw failure("dup pty master");
    pid_ = fork();
    if (pid_ < 0) throw failure("fork");
    if (pid_ == 0) {
      // A new session whose controlling terminal is the pty, as a login shell has it.
      if (setsid() < 0) _exit(127);
      int slave = open(slave_path, O_RDWR | O_CLOEXEC);
      if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) _exit(127);
      exec_child(c_argv.data(), slave, slave, slave);
    }
  } else {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) throw failure("pipe2");
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) throw failure("open /dev/null");
    pid_ = fork();
    if (pid_ < 0) throw failure("fork");
    if (pid_ == 0) {
      setpgid(0, 0);
      exec_child(c_argv.data(), devnull, out[1], err[1]);
    }
    setpgid(pid_, pid_);  // also done in the child; whichever runs first wins the race
    close(devnull);
    close(out[1]);
    close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }
  registry().process_groups.push_back(pid_);
}

Spawned::~Spawned() {
  if (!reaped_ && pid_ > 0) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close_fd(out_fd_);
  close_fd(err_fd_);
  close_fd(master_fd_);
}

bool Spawned::read_some(milliseconds limit) {
  pollfd fds[2];
  nfds_t n = 0;
  for (int fd : {out_fd_, err_fd_}) {
    if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
  }
  if (n == 0) return false;
  if (poll(fds, n, static_cast<int>(limit.count())) < 0 && errno != EINTR) return false;
  for (nfds_t i = 0; i < n; ++i) {
    if (fds[i].revents == 0) continue;
    int& fd = fds[i].fd == out_fd_ ? out_fd_ : err_fd_;
    std::string& sink = fds[i].fd == out_fd_ ? result_.out : result_.err;
    char buf[4096];
    ssize_t got = read(fd, buf, sizeof buf);
    if (got > 0) {
      sink.append(buf, static_cast<size_t>(got));
    } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
      close_fd(fd);  // a pty master reads EIO once every slave is closed
    }
  }
  return out_fd_ >= 0 || err_fd_ >= 0;
}

bool Spawned::wait_for_output(const std::string& needle, milliseconds timeout) {
  const auto give_up = Clock::now() + timeout;
  while (!contains(result_.out, needle)) {
    const auto left = std::chrono::duration_cast<milliseconds>(give_up - Clock::now());
    if (left <= milliseconds(0)) return false;
    if (!read_some(std::min(left, milliseconds(50))) && !contains(result_.out, needle)) {
      return false;
    }
  }
  return true;
}

void Spawned::type(const std::string& text) {
  if (master_fd_ < 0) throw std::logic_error("Spawned::type needs Stdio::pty");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = write(master_fd_, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw failure("write to the pty");
    done += static_cast<size_t>(w);
  }
}

RunResult Spawned::wait(milliseconds timeout) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  auto stop_reading_at = Clock::time_point::max();
  int status = 0;
  while (true) {
    if (!reaped_ && waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      result_.exit_code = decode_status(status);
      stop_reading_at = Clock::now() + kDrainGrace;
    }
    const auto now = Clock::now();
    if (reaped_ && (now >= stop_reading_at || (out_fd_ < 0 && err_fd_ < 0))) break;
    if (!reaped_ && !result_.timed_out && now >= deadline) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      result_.timed_out = true;
    }
    if (!read_some(milliseconds(20))) usleep(10 * 1000);
  }
  result_.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result_;
}

std::vector<std::string> run_argv(Bundle& bundle, const std::vector<std::string>& run_flags) {
  bundle.write();
  std::vector<std::string> argv{
      runtime_binary(), "--root", state_root().string(), "run", "--bundle", bundle.dir().string()};
  argv.insert(argv.end(), run_flags.begin(), run_flags.end());
  argv.push_back(bundle.id);
  return argv;
}

}  // namespace minirun::itest
