#include "runtime/process/preserved_fds.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

namespace {

bool close_range_of(unsigned first, unsigned last, unsigned flags) {
  return syscall(SYS_close_range, first, last, flags) == 0;
}

// Calls act(fd) for every open fd at or above first, read from /proc/self/fd with raw
// getdents64 (no opendir: its allocation and fstat are calls a seccomp profile may deny).
template <class Act>
sys::Status each_open_fd_from(int first, const Act& act, const char* step) {
  sys::Fd dir(open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return sys::Error::from_errno(step, "open /proc/self/fd");
  alignas(8) char buf[1024];
  for (;;) {
    long n = syscall(SYS_getdents64, dir.get(), buf, sizeof buf);
    if (n < 0) return sys::Error::from_errno(step, "read /proc/self/fd");
    if (n == 0) return {};
    for (long off = 0; off < n;) {
      auto* entry = reinterpret_cast<struct dirent64*>(buf + off);
      off += entry->d_reclen;
      int fd = -1;
      const char* name = entry->d_name;
      auto [end, ec] = std::from_chars(name, name + std::strlen(name), fd);
      if (ec != std::errc() || *end != '\0' || fd < first || fd == dir.get()) continue;
      act(fd);
    }
  }
}

}  // namespace

void reserve_preserved_fds(int n) {
  for (int fd = 3; fd < 3 + n; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    int filler = open("/dev/null", O_RDWR);
    if (filler >= 0 && filler != fd) {
      dup2(filler, fd);
      close(filler);
    }
  }
}

sys::Status close_fds_from(int first, std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  auto kept = [&](int fd) { return std::binary_search(keep.begin(), keep.end(), fd); };
  unsigned low = static_cast<unsigned>(first);
  bool ranges_ok = true;
  for (int fd : keep) {
    if (fd < first || static_cast<unsigned>(fd) < low) continue;
    if (static_cast<unsigned>(fd) > low) ranges_ok = ranges_ok && close_range_of(low, fd - 1U, 0);
    low = static_cast<unsigned>(fd) + 1;
    if (!ranges_ok) break;
  }
  if (ranges_ok && close_range_of(low, ~0U, 0)) return {};
  return each_open_fd_from(
      first,
      [&](int fd) {
        if (!kept(fd)) close(fd);
      },
      "fds");
}

sys::Status cloexec_fds_from(int first) {
  if (close_range_of(static_cast<unsigned>(first), ~0U, CLOSE_RANGE_CLOEXEC)) return {};
  return each_open_fd_from(
      first, [](int fd) { fcntl(fd, F_SETFD, FD_CLOEXEC); }, "exec");
}

}  // namespace minirun::runtime
