#include "runtime/sys/paths_in_root.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

namespace minirun::runtime {

namespace {

// openat2 with RESOLVE_IN_ROOT may fail with EAGAIN when a rename races the lookup.
constexpr int kOpenat2Retries = 32;

int openat2_in_root(int root_fd, const std::string& clean, int flags, uint64_t extra_resolve = 0) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra_resolve;
  const char* relative = clean == "/" ? "." : clean.c_str() + 1;
  for (int i = 0;; ++i) {
    long fd = ::syscall(SYS_openat2, root_fd, relative, &how, sizeof how);
    if (fd >= 0 || errno != EAGAIN || i == kOpenat2Retries) return static_cast<int>(fd);
  }
}

std::vector<std::string> components(const std::string& clean) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start < clean.size()) {
    size_t end = clean.find('/', start);
    if (end == std::string::npos) end = clean.size();
    out.push_back(clean.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string clean_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  if (parts.empty()) return "/";
  std::string out;
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out;
}

std::string parent_path(const std::string& clean) {
  size_t slash = clean.rfind('/');
  if (slash == 0 || slash == std::string::npos) return "/";
  return clean.substr(0, slash);
}

std::string base_name(const std::string& clean) {
  size_t slash = clean.rfind('/');
  return slash == std::string::npos ? clean : clean.substr(slash + 1);
}

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

std::string fd_path_or(int fd, const std::string& path) {
  return ::access("/proc/self/fd", F_OK) == 0 ? fd_path(fd) : clean_path(path);
}

sys::Result<sys::Fd> open_in_root(int root_fd, const std::string& path, int flags,
                                  const std::string& step) {
  std::string clean = clean_path(path);
  int fd = openat2_in_root(root_fd, clean, flags);
  if (fd < 0) return sys::Error::from_errno(step, "open " + clean + " (in rootfs)");
  return sys::Fd(fd);
}

bool reached_without_symlinks(int root_fd, const std::string& path) {
  sys::Fd fd(openat2_in_root(root_fd, clean_path(path), O_PATH, RESOLVE_NO_SYMLINKS));
  return fd || errno != ELOOP;
}

sys::Result<sys::Fd> mkdir_all_in_root(int root_fd, const std::string& path, mode_t mode,
                                       const std::string& step) {
  std::string clean = clean_path(path);
  auto whole = open_in_root(root_fd, clean, O_PATH | O_DIRECTORY, step);
  if (whole || whole.error().errnum != ENOENT) return whole;

  // Walk from the root, creating each missing component in its already-resolved parent and
  // resolving it again from the root, so a symlink met on the way stays inside the root.
  auto parent = open_in_root(root_fd, "/", O_PATH | O_DIRECTORY, step);
  if (!parent) return parent;
  sys::Fd current = std::move(*parent);
  std::string prefix;
  for (const auto& part : components(clean)) {
    prefix += "/" + part;
    auto next = open_in_root(root_fd, prefix, O_PATH | O_DIRECTORY, step);
    if (!next && next.error().errnum == ENOENT) {
      if (::mkdirat(current.get(), part.c_str(), mode) != 0 && errno != EEXIST)
        return sys::Error::from_errno(step, "mkdir " + prefix + " (in rootfs)");
      next = open_in_root(root_fd, prefix, O_PATH | O_DIRECTORY, step);
    }
    if (!next) return next;
    current = std::move(*next);
  }
  return current;
}

sys::Result<sys::Fd> ensure_file_in_root(int root_fd, const std::string& path,
                                         const std::string& step) {
  std::string clean = clean_path(path);
  auto existing = open_in_root(root_fd, clean, O_PATH, step);
  if (existing || existing.error().errnum != ENOENT) return existing;

  auto parent = mkdir_all_in_root(root_fd, parent_path(clean), 0755, step);
  if (!parent) return parent;
  std::string name = base_name(clean);
  int fd = ::openat(parent->get(), name.c_str(),
                    O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno != EEXIST)
    return sys::Error::from_errno(step, "create " + clean + " (in rootfs)");
  if (fd >= 0) ::close(fd);
  return open_in_root(root_fd, clean, O_PATH, step);
}

}  // namespace minirun::runtime
