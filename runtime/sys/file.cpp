#include "runtime/sys/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/sys/fd.hpp"
#include "spec/text.hpp"

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
  auto slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmp = "." + name;
  // One directory fd for the create and the rename: both name the same directory, whatever
  // happens to the path meanwhile.
  Fd dir_fd(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd) return Error::from_errno(step, "open directory " + dir);
  {
    Fd fd(openat(dir_fd.get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 0644));
    if (!fd) return Error::from_errno(step, "create " + dir + "/" + tmp);
    if (auto written = write_all(fd.get(), text, step, path); !written) {
      unlinkat(dir_fd.get(), tmp.c_str(), 0);
      return written.error();
    }
  }
  // A file there already (create's "creating" state.json, the "created" one start replaces) is
  // swapped with the new one, not renamed over: on ext4 a rename that replaces a file starts
  // writing the new one out (auto_da_alloc), 0.2-4 ms here where /run is not a tmpfs, and an
  // exchange is not such a rename. Readers see the old file or the new one, as before.
  if (renameat2(dir_fd.get(), tmp.c_str(), dir_fd.get(), name.c_str(), RENAME_EXCHANGE) == 0) {
    unlinkat(dir_fd.get(), tmp.c_str(), 0);  // the old file, or a link someone planted
    return {};
  }
  if (renameat(dir_fd.get(), tmp.c_str(), dir_fd.get(), name.c_str()) < 0) {
    auto error = Error::from_errno(step, "rename " + dir + "/" + tmp + " to " + path);
    unlinkat(dir_fd.get(), tmp.c_str(), 0);
    return error;
  }
  return {};
}

Status make_fifo_at(int dir_fd, const std::string& name, mode_t mode, const std::string& step) {
  mode_t umask_was = umask(0);
  int made = mkfifoat(dir_fd, name.c_str(), mode);
  int saved = errno;
  umask(umask_was);
  errno = saved;
  return made == 0 ? Status{} : Error::from_errno(step, "mkfifo " + name);
}

Result<Fd> open_append(const std::string& path, const std::string& step) {
  const auto refuse = [&](mode_t mode) {
    return Error::plain(step, "refusing " + path + ": it is " +
                                  std::string(spec::file_type_name(mode)) + ", not a regular file");
  };
  // lstat first, so that a device or a FIFO is not even opened.
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return refuse(st.st_mode);
  Fd fd(open(path.c_str(),
             O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644));
  if (!fd && errno == ELOOP) return refuse(S_IFLNK);  // swapped for a symlink since the lstat
  if (!fd) return Error::from_errno(step, "open " + path);
  if (fstat(fd.get(), &st) < 0) return Error::from_errno(step, "fstat " + path);
  if (!S_ISREG(st.st_mode)) return refuse(st.st_mode);
  return fd;
}

}  // namespace minirun::sys
