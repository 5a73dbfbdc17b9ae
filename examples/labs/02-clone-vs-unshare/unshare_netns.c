// unshare(CLONE_NEWNET): the calling process itself moves into a new namespace; the pid stays
// the same, the namespace changes under it.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "netns_show.h"

int main(void) {
  show_netns("before");
  if (unshare(CLONE_NEWNET) < 0) {
    printf("unshare=failed: %s\n", strerror(errno));
    return 0;  // a refusal is a result too (inside a container without CAP_SYS_ADMIN)
  }
  printf("unshare=ok\n");
  show_netns("after");
  return 0;
}
