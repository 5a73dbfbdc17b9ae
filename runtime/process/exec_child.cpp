#include "runtime/process/exec_child.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runtime/process/preserved_fds.hpp"
#include "runtime/process/process.hpp"
#include "runtime/process/process_tail.hpp"
#include "runtime/process/security.hpp"
#include "runtime/process/sync.hpp"
#include "runtime/process/terminal.hpp"
#include "spec/namespace_kinds.hpp"

namespace minirun::runtime {

namespace {

bool same_namespace(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  return fstat(fd, &a) == 0 && stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

// What exec's middle process tells the parent: the child's pid, else the errno of the step
// that failed (0 the user join, 1 the pid join, 2 the fork).
struct MiddleReport {
  long pid = -1;
  int step = 0;
  int err = 0;
};

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
  return run_process_tail(
      ProcessTail(process, linux, plan.seccomp, plan.preserve_fds, plan.exec_sigmask));
}

}  // namespace

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

sys::Result<pid_t> fork_exec_child(ExecPlan& plan) {
  auto user = std::find_if(plan.joins.begin(), plan.joins.end(),
                           [](const auto& ns) { return ns.type == spec::NamespaceType::user; });
  if (user == plan.joins.end() || geteuid() == 0) {
    // Applies to our children only: the one we fork next is born in the container's pid ns.
    MR_TRY(enter_joined_pid_namespace(plan.joins));
    pid_t pid = fork();
    if (pid < 0) return sys::Error::from_errno("exec", "fork");
    if (pid == 0) run_exec_child(plan);
    return pid;
  }
  int report_pipe[2];
  if (pipe2(report_pipe, O_CLOEXEC) < 0) return sys::Error::from_errno("exec", "pipe");
  sys::Fd report_read(report_pipe[0]), report_write(report_pipe[1]);
  const std::string user_path = user->path;
  pid_t middle = fork();
  if (middle < 0) return sys::Error::from_errno("exec", "fork");
  if (middle == 0) {
    MiddleReport report;
    if (setns(user->fd.get(), CLONE_NEWUSER) < 0) {
      report.err = errno;
    } else {
      plan.joins.erase(user);  // the child is in it from birth; a second setns would fail
      if (auto entered = enter_joined_pid_namespace(plan.joins); !entered) {
        report = {-1, 1, entered.error().errnum};
      } else {
        long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
        if (pid == 0) run_exec_child(plan);
        report = {pid, 2, pid < 0 ? errno : 0};
      }
    }
    (void)!write(report_write.get(), &report, sizeof report);
    _exit(0);
  }
  report_write.reset();
  MiddleReport report;
  ssize_t n = read(report_read.get(), &report, sizeof report);
  while (waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof report))
    return sys::Error::plain("exec", "the process that joins " + user_path + " died");
  if (report.pid > 0) return static_cast<pid_t>(report.pid);
  static const char* const kSteps[] = {"join user namespace ", "join pid namespace from ",
                                       "fork in "};
  return sys::Error{"namespaces", kSteps[report.step] + user_path, report.err};
}

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

}  // namespace minirun::runtime
