#include "runtime/process/clone_in_user_namespace.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

namespace {

// What the middle process tells the parent: the child's pid, or what failed.
struct MiddleReport {
  enum class Failed { nothing, user_join, pid_join, clone } failed = Failed::nothing;
  int err = 0;
  long pid = -1;
  bool cloned_into_cgroup = false;
};

}  // namespace

sys::Result<JoinedClone> clone_in_joined_user_namespace(
    std::vector<JoinedNamespace>& joins, JoinedCloneWordsOf words_of,
    const std::function<long(bool* cloned_into_cgroup)>& clone_child) {
  auto user = std::find_if(joins.begin(), joins.end(),
                           [](const auto& ns) { return ns.type == spec::NamespaceType::user; });
  const std::string user_path = user->path;
  int report_pipe[2];
  if (pipe2(report_pipe, O_CLOEXEC) < 0) {
    int err = errno;  // before the words' allocations
    return sys::Error{words_of(user_path).step, "pipe", err};
  }
  sys::Fd report_read(report_pipe[0]), report_write(report_pipe[1]);
  long middle = syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (middle < 0) {
    int err = errno;
    const JoinedCloneWords words = words_of(user_path);
    return sys::Error{words.step, words.clone_middle, err};
  }
  if (middle == 0) {
    MiddleReport report;
    using Failed = MiddleReport::Failed;
    if (setns(user->fd.get(), CLONE_NEWUSER) < 0) {
      report = {Failed::user_join, errno};
    } else {
      joins.erase(user);  // the child is in it from birth; a second setns would fail
      if (auto pid_ns = enter_joined_pid_namespace(joins); !pid_ns) {
        report = {Failed::pid_join, pid_ns.error().errnum};
      } else {
        report.pid = clone_child(&report.cloned_into_cgroup);
        if (report.pid < 0) report = {Failed::clone, errno};
      }
    }
    (void)!write(report_write.get(), &report, sizeof report);
    _exit(0);
  }
  report_write.reset();
  MiddleReport report;
  ssize_t n = read(report_read.get(), &report, sizeof report);
  while (waitpid(static_cast<pid_t>(middle), nullptr, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof report))
    return sys::Error::plain(words_of(user_path).step,
                             "the process that joins " + user_path + " died");
  if (report.failed == MiddleReport::Failed::nothing)
    return JoinedClone{report.pid, report.cloned_into_cgroup};
  if (report.failed == MiddleReport::Failed::user_join)
    return sys::Error{"namespaces", "join user namespace " + user_path, report.err};
  const JoinedCloneWords words = words_of(user_path);
  if (report.failed == MiddleReport::Failed::pid_join)
    return sys::Error{"namespaces", words.join_pid, report.err};
  return sys::Error{words.clone_child.step, words.clone_child.message, report.err};
}

}  // namespace minirun::runtime
