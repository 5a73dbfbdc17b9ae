#include "runtime/process/process_tail.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/process/preserved_fds.hpp"
#include "runtime/process/security.hpp"
#include "runtime/process/user_home.hpp"
#include "runtime/sys/trace.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Go's exec.LookPath test, which runc uses: a file that is not a directory and has an execute
// bit. stat(2) (newfstatat), not access(2): the call runc makes after its seccomp filter.
int executable_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) < 0) return errno;
  return !S_ISDIR(st.st_mode) && (st.st_mode & 0111) ? 0 : EACCES;
}

sys::Status call(const std::function<sys::Status()>& step) {
  return step ? step() : sys::Status{};
}

}  // namespace

sys::Result<std::string> find_executable(const std::string& name,
                                         const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) {
    if (int err = executable_file(name); err != 0)
      return sys::Error{"exec", "\"" + name + "\": stat " + name, err};
    return name;
  }
  std::string path = kDefaultPath;
  for (const auto& entry : env)
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(candidate) == 0) return candidate;
    start = end + 1;
  }
  return sys::Error::plain("exec", "\"" + name + "\": executable file not found in $PATH");
}

sys::Status run_process_tail(const ProcessTail& tail) {
  const spec::Process& process = *tail.process;
  const SeccompProgram* seccomp = tail.seccomp;
  // HOME from the container's /etc/passwd when process.env has none, where runc reads it:
  // in the container's root, after the masks, as root, and before the seccomp filter (no
  // syscall of ours may follow the filter but runc's own).
  const auto env = container_env(process);
  MR_TRY(apply_process_attributes(process, tail.personality));
  // Every fd but stdio and --preserve-fds closes at exec: the sync socket, the fifo and
  // whatever a hook left (CVE-2024-21626). Before the filter: close_range is not among the
  // calls runc makes after it.
  MR_TRY(cloexec_fds_from(3 + tail.preserve_fds));
  // From the filter on, only the calls of spec/post_filter_syscalls.hpp until execve.
  if (process.noNewPrivileges) MR_TRY(traced("no_new_privs", "", set_no_new_privs));
  // Without no_new_privs, installing a filter needs CAP_SYS_ADMIN: do it before the drop.
  if (seccomp && !process.noNewPrivileges)
    MR_TRY(traced("seccomp", "", [&] { return install_seccomp(*seccomp); }));
  MR_TRY(traced("capabilities", "user and groups", [&] { return drop_privileges(process); }));
  MR_TRY(enter_cwd(process.cwd.empty() ? "/" : process.cwd));

  auto executable = find_executable(process.args[0], process.env);
  if (!executable) return executable.error();

  MR_TRY(call(tail.before_late_filter));
  // As close to execve as possible, so the filter sees only the container's own syscalls.
  if (seccomp && process.noNewPrivileges)
    MR_TRY(traced("seccomp", "", [&] { return install_seccomp(*seccomp); }));
  MR_TRY(call(tail.after_late_filter));
  if (trace_enabled()) trace_line("exec", *executable, 0);

  sigprocmask(SIG_SETMASK, &tail.exec_sigmask, nullptr);
  auto argv = c_strings(process.args);
  auto envp = c_strings(env ? *env : process.env);
  execve(executable->c_str(), argv.data(), envp.data());
  return sys::Error::from_errno("exec", "exec " + *executable);
}

}  // namespace minirun::runtime
