// Shared by clone_netns.c and unshare_netns.c: prints, as key=value lines, which network
// namespace the calling process is in and which devices that namespace holds.
#pragma once

#include <net/if.h>
#include <stdio.h>
#include <unistd.h>

static void show_netns(const char* who) {
  char ns[64] = "?";
  ssize_t n = readlink("/proc/self/ns/net", ns, sizeof ns - 1);
  if (n > 0) ns[n] = '\0';
  printf("%s pid=%d\n%s netns=%s\n%s devices=", who, (int)getpid(), who, ns, who);
  // if_nameindex() asks the kernel over netlink, so it answers for the caller's namespace
  // (unlike /sys/class/net, which shows the namespace of whoever mounted sysfs).
  struct if_nameindex* ifs = if_nameindex();
  for (struct if_nameindex* i = ifs; i && i->if_index != 0; ++i)
    printf("%s%s", i == ifs ? "" : " ", i->if_name);
  printf("\n");
  if (ifs) if_freenameindex(ifs);
  fflush(stdout);
}
