#include "harness_subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include "harness_fs.hpp"
#include "harness_registry.hpp"

extern char** environ;

namespace minirun::itest {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long to keep reading after the child exited while a grandchild (a detached container)
// still holds the pipes open.
constexpr milliseconds kDrainGrace{200};

struct Pipe {
  int read = -1;
  int write = -1;
};

Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe2: ") + strerror(errno));
  return {fds[0], fds[1]};
}

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& x : extra) replaced |= x.substr(0, x.find('=')) == key;
    if (!replaced) env.push_back(std::move(entry));
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int open_or_throw(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("open " + path + ": " + strerror(errno));
  return fd;
}

// Only async-signal-safe calls between fork and exec.
[[noreturn]] void exec_child(int stdin_fd, int stdout_fd, int stderr_fd, int exec_error_fd,
                             char** argv, char** envp) {
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);  // we ignore it in the test process; SIG_IGN survives exec

  if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) _exit(127);
  // Nothing of ours but stdio may leak into the runtime: it would show up as an fd leak.
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  execvpe(argv[0], argv, envp);
  int e = errno;
  (void)!write(exec_error_fd, &e, sizeof e);
  _exit(127);
}

void append_available(int& fd, std::string& sink) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    sink.append(buf, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    close_fd(fd);
  }
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string> RunResult::out_lines() const {
  return split_lines(out);
}
std::vector<std::string> RunResult::err_lines() const {
  return split_lines(err);
}

std::ostream& operator<<(std::ostream& os, const RunResult& r) {
  os << "\n  command:";
  for (const auto& a : r.argv) os << " '" << a << "'";
  os << "\n  exit code: " << r.exit_code << (r.timed_out ? " (killed after timeout)" : "") << " in "
     << r.elapsed.count() << " ms";
  os << "\n  stdout: [" << r.out << "]\n  stderr: [" << r.err << "]\n";
  return os;
}

RunResult run_process(const std::vector<std::string>& argv, const RunOptions& opts) {
  static const bool sigpipe_ignored = (signal(SIGPIPE, SIG_IGN), true);
  (void)sigpipe_ignored;
  if (argv.empty()) throw std::invalid_argument("run_process: empty argv");

  RunResult result;
  result.argv = argv;
  std::vector<std::string> argv_copy = argv;
  std::vector<std::string> env = merged_environment(opts.extra_env);
  std::vector<char*> c_argv = c_strings(argv_copy);
  std::vector<char*> c_env = c_strings(env);

  const bool stdin_is_pipe = opts.stdin_data.has_value();
  const bool output_to_file = !opts.output_file.empty();
  // Without a pipe, the child's end is a file (/dev/null or the output file) and ours is -1.
  Pipe in = stdin_is_pipe ? make_pipe() : Pipe{open_or_throw("/dev/null", O_RDONLY), -1};
  Pipe out = output_to_file
                 ? Pipe{-1, open_or_throw(opts.output_file, O_WRONLY | O_CREAT | O_TRUNC)}
                 : make_pipe();
  Pipe err = output_to_file ? Pipe{-1, fcntl(out.write, F_DUPFD_CLOEXEC, 0)} : make_pipe();
  Pipe exec_error = make_pipe();

  const auto start = Clock::now();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + strerror(errno));
  if (pid == 0) {
    exec_child(in.read, out.write, err.write, exec_error.write, c_argv.data(), c_env.data());
  }
  setpgid(pid, pid);  // also done in the child; whichever runs first wins the race
  registry().process_groups.push_back(pid);
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);
  close_fd(exec_error.write);

  int exec_errno = 0;
  if (read(exec_error.read, &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
    waitpid(pid, nullptr, 0);
    close_fd(in.write);
    close_fd(out.read);
    close_fd(err.read);
    close_fd(exec_error.read);
    result.exit_code = 127;
    result.err = "exec " + argv[0] + ": " + strerror(exec_errno);
    return result;
  }
  close_fd(exec_error.read);

  if (stdin_is_pipe) fcntl(in.write, F_SETFL, O_NONBLOCK);
  size_t stdin_written = 0;
  const std::string& stdin_data = stdin_is_pipe ? *opts.stdin_data : std::string();
  if (stdin_is_pipe && stdin_data.empty()) close_fd(in.write);

  // glibc 2.36 declares pidfd_open() without extern "C": call the syscall directly.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  bool reaped = false;
  int status = 0;
  Clock::time_point stop_reading_at = Clock::time_point::max();
  const auto deadline = start + opts.timeout;

  while (true) {
    if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;
      close_fd(pidfd);
      close_fd(in.write);
      stop_reading_at = Clock::now() + kDrainGrace;
    }
    if (reaped && out.read < 0 && err.read < 0) break;
    const auto now = Clock::now();
    if (now >= stop_reading_at) break;
    if (!result.timed_out && now >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      result.timed_out = true;
    }

    pollfd fds[4];
    nfds_t n = 0;
    auto watch = [&](int fd, short events) {
      if (fd >= 0) fds[n++] = pollfd{fd, events, 0};
    };
    watch(out.read, POLLIN);
    watch(err.read, POLLIN);
    watch(in.write, POLLOUT);
    watch(pidfd, POLLIN);
    // pidfd wakes us when the child exits; the cap only bounds timeout and grace checks.
    int wait_ms = pidfd >= 0 ? 50 : 5;
    if (poll(fds, n, wait_ms) < 0 && errno != EINTR) break;

    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == out.read) append_available(out.read, result.out);
      if (fds[i].fd == err.read) append_available(err.read, result.err);
      if (fds[i].fd == in.write) {
        ssize_t w =
            write(in.write, stdin_data.data() + stdin_written, stdin_data.size() - stdin_written);
        if (w > 0) stdin_written += static_cast<size_t>(w);
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || stdin_written == stdin_data.size()) {
          close_fd(in.write);
        }
      }
    }
  }

  if (!reaped) waitpid(pid, &status, 0);
  close_fd(pidfd);
  close_fd(in.write);
  for (int* fd : {&out.read, &err.read}) {
    if (*fd >= 0) registry().lingering_fds.push_back(*fd);
    *fd = -1;
  }
  if (output_to_file) result.out = read_file(opts.output_file);
  result.exit_code = decode_status(status);
  result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace minirun::itest
