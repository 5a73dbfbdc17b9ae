#include "runtime/sys/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "runtime/sys/fd.hpp"

namespace minirun::sys {

namespace {

Status write_all(int fd, const std::string& text, const std::string& step,
                 const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno(step, "write " + path);
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Status write_at(int dirfd, const std::string& path, const std::string& text,
                const std::string& step, int extra_flags) {
  Fd fd(openat(dirfd, path.c_str(), O_WRONLY | O_CLOEXEC | extra_flags, 0644));
  if (!fd) return Error::from_errno(step, "open " + path);
  return write_all(fd.get(), text, step, path);
}

Status write_file(const std::string& path, const std::string& text, const std::string& step) {
  return write_at(AT_FDCWD, path, text, step);
}

Result<std::string> read_file(const std::string& path, const std::string& step) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(step, "open " + path);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno(step, "read " + path);
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Status write_file_atomic(const std::string& path, const std::string& text,
                         const std::string& step) {
  std::string tmp = path + ".tmp";
  MR_TRY(write_at(AT_FDCWD, tmp, text, step, O_CREAT | O_TRUNC));
  if (rename(tmp.c_str(), path.c_str()) < 0) {
    int saved = errno;
    unlink(tmp.c_str());
    errno = saved;
    return Error::from_errno(step, "rename " + tmp + " to " + path);
  }
  return {};
}

}  // namespace minirun::sys
