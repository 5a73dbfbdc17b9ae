#include "runtime/namespaces/id_map_helper.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/sys/fd.hpp"

extern char** environ;

namespace minirun::runtime {

sys::Status run_id_map_helper(const std::string& helper, pid_t pid,
                              const std::vector<spec::IdMapping>& maps) {
  std::vector<std::string> args{helper, std::to_string(pid)};
  for (const auto& m : maps)
    for (uint32_t v : {m.containerID, m.hostID, m.size}) args.push_back(std::to_string(v));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return sys::Error::from_errno("user namespace", "pipe");
  sys::Fd read_end(fds[0]), write_end(fds[1]);
  // The helper's stdout and stderr into the pipe (dup2 clears close-on-exec on the copies).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDERR_FILENO);
  pid_t child = -1;
  int err = posix_spawn(&child, helper.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return sys::Error{"user namespace", "run " + helper, err};
  write_end.reset();

  std::string output;
  char buf[512];
  for (;;) {
    ssize_t n = read(read_end.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (output.size() < 4096) output.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return sys::Error::from_errno("user namespace", "wait for " + helper);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  for (char& c : output)
    if (c == '\n') c = ' ';
  std::string args_text;
  for (size_t i = 1; i < args.size(); ++i) args_text += " " + args[i];
  return sys::Error::plain("user namespace",
                           helper + args_text + " failed" + (output.empty() ? "" : ": " + output));
}

}  // namespace minirun::runtime
