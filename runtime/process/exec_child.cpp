#include "runtime/process/exec_child.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runtime/process/clone_in_user_namespace.hpp"
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

// exec's words for what fails in clone_in_joined_user_namespace.
JoinedCloneWords exec_clone_words(const std::string& user_path) {
  return {"exec",
          "fork",
          "join pid namespace from " + user_path,
          {"namespaces", "fork in " + user_path}};
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
  bool joins_user = std::any_of(plan.joins.begin(), plan.joins.end(), [](const auto& ns) {
    return ns.type == spec::NamespaceType::user;
  });
  if (!joins_user || geteuid() == 0) {
    // Applies to our children only: the one we fork next is born in the container's pid ns.
    MR_TRY(enter_joined_pid_namespace(plan.joins));
    pid_t pid = fork();
    if (pid < 0) return sys::Error::from_errno("exec", "fork");
    if (pid == 0) run_exec_child(plan);
    return pid;
  }
  auto cloned = clone_in_joined_user_namespace(plan.joins, exec_clone_words, [&](bool*) {
    long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid == 0) run_exec_child(plan);
    return pid;
  });
  if (!cloned) return cloned.error();
  return static_cast<pid_t>(cloned->pid);
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
