// clone(CLONE_NEWNET): the new namespace is born with a new process. The parent stays where it
// was; only the child (and its descendants) live in the new namespace.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "netns_show.h"

static char child_stack[256 * 1024];

static int child_main(void* arg) {
  (void)arg;
  show_netns("child");
  return 0;
}

int main(void) {
  show_netns("parent");
  pid_t pid = clone(child_main, child_stack + sizeof child_stack, CLONE_NEWNET | SIGCHLD, NULL);
  if (pid < 0) {
    perror("clone(CLONE_NEWNET)");
    return 1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  show_netns("parent-after");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
