/* probe RESULT_FILE [-n COUNT] CMD [ARG...]
 *
 * Runs CMD (COUNT copies at once with -n, each "{}" in an ARG replaced by the copy's index)
 * and writes one line per copy to RESULT_FILE: "start_ns end_ns maxrss_kib exit_code",
 * times from CLOCK_MONOTONIC; start is when the probe began forking.
 *
 * Why a separate static program: a child's ru_maxrss starts from the RSS high-water mark of
 * the memory it was forked (or vforked) from, so spawning straight from the 18 MiB Python
 * harness would report 18 MiB for every runtime. Forked from this tiny process, the figure
 * is the command's own. It also keeps Python's spawn cost out of the timings, and starts
 * the -n copies as close together as a real engine would. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_COPIES 1024

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* In the child only: argv with every "{}" replaced by index (leaks, then execs). */
static char** with_index(char** argv, int index) {
  int n = 0;
  while (argv[n]) n++;
  char** out = calloc(n + 1, sizeof *out);
  for (int i = 0; i < n; i++) {
    char* hole = strstr(argv[i], "{}");
    if (!hole) {
      out[i] = argv[i];
      continue;
    }
    size_t len = strlen(argv[i]) + 16;
    out[i] = malloc(len);
    snprintf(out[i], len, "%.*s%d%s", (int)(hole - argv[i]), argv[i], index, hole + 2);
  }
  return out;
}

int main(int argc, char** argv) {
  int copies = 1;
  int first = 2;
  if (argc >= 5 && strcmp(argv[2], "-n") == 0) {
    copies = atoi(argv[3]);
    first = 4;
  }
  if (argc <= first || copies < 1 || copies > MAX_COPIES) {
    fprintf(stderr, "usage: probe RESULT_FILE [-n COUNT] CMD [ARG...]\n");
    return 2;
  }
  static pid_t pids[MAX_COPIES];
  static long long ends[MAX_COPIES];
  static long maxrss[MAX_COPIES];
  static int codes[MAX_COPIES];
  long long start = now_ns();
  for (int k = 0; k < copies; k++) {
    pids[k] = fork();
    if (pids[k] < 0) {
      perror("probe: fork");
      return 2;
    }
    if (pids[k] == 0) {
      char** args = copies > 1 ? with_index(argv + first, k) : argv + first;
      execv(args[0], args);
      perror("probe: execv");
      _exit(127);
    }
  }
  for (int done = 0; done < copies; done++) {
    int status;
    struct rusage ru;
    pid_t pid = wait4(-1, &status, 0, &ru);
    if (pid < 0) {
      perror("probe: wait4");
      return 2;
    }
    for (int k = 0; k < copies; k++) {
      if (pids[k] != pid) continue;
      ends[k] = now_ns();
      maxrss[k] = ru.ru_maxrss;
      codes[k] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
  }
  FILE* f = fopen(argv[1], "w");
  if (!f) {
    perror("probe: result file");
    return 2;
  }
  for (int k = 0; k < copies; k++)
    fprintf(f, "%lld %lld %ld %d\n", start, ends[k], maxrss[k], codes[k]);
  return fclose(f) == 0 ? 0 : 2;
}
