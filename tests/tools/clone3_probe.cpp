// Calls clone3(2) once, as glibc does for a thread or posix_spawn, and prints what it got:
// "clone3: ok" or "clone3: errno N". Static, for a busybox rootfs.
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

int main() {
  struct clone_args args {};
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) _exit(0);
  if (pid < 0) {
    std::printf("clone3: errno %d\n", errno);
    return 0;
  }
  waitpid(static_cast<pid_t>(pid), nullptr, 0);
  std::printf("clone3: ok\n");
  return 0;
}
