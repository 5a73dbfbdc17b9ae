#include "runtime/rootfs/masked_paths.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "runtime/sys/paths_in_root.hpp"
#include "spec/mount_options.hpp"

namespace minirun::runtime {

namespace {

sys::Result<sys::Fd> open_root(const std::string& step) {
  sys::Fd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys::Error::from_errno(step, "open / (in container)");
  return root;
}

// Before Linux 5.12 (no mount_setattr): bind the path onto itself and remount it read-only
// with the flags it has (nosuid, nodev, noexec, atime), as runc does.
sys::Status make_readonly_by_remount(int root_fd, const std::string& path, int target_fd) {
  const std::string step = "readonly_paths";
  std::string where = fd_path_or(target_fd, path);
  if (::mount(where.c_str(), where.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
    return sys::Error::from_errno(step, "bind mount " + path + " on itself");
  // Reopen: the old fd names the directory under the new bind mount, not its root.
  auto bound = open_in_root(root_fd, path, O_PATH, step);
  if (!bound) return bound.error();
  std::string bound_path = fd_path_or(bound->get(), path);
  struct statvfs st {};
  if (::statvfs(bound_path.c_str(), &st) != 0)
    return sys::Error::from_errno(step, "statvfs " + path);
  unsigned long flags =
      MS_BIND | MS_REMOUNT | MS_RDONLY | spec::remount_flags_from_statvfs(st.f_flag);
  if (::mount(nullptr, bound_path.c_str(), nullptr, flags, nullptr) != 0)
    return sys::Error::from_errno(step, "remount " + path + " read-only");
  return {};
}

// The path's mount tree cloned (as a recursive bind would), its top made read-only, and moved
// onto the path: three fd-based calls where a bind and a remount took six, with the other
// mount flags (nosuid, nodev, noexec, atime) left as they are.
sys::Status make_readonly(int root_fd, const std::string& path) {
  const std::string step = "readonly_paths";
  auto target = open_in_root(root_fd, path, O_PATH, step);
  if (!target) {
    if (target.error().errnum == ENOENT) return {};
    return target.error();
  }
  sys::Fd tree(::open_tree(target->get(), "",
                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE));
  if (!tree) return sys::Error::from_errno(step, "bind mount " + path + " on itself");
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY;
  if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
    if (errno == ENOSYS) return make_readonly_by_remount(root_fd, path, target->get());
    return sys::Error::from_errno(step, "remount " + path + " read-only");
  }
  if (::move_mount(tree.get(), "", target->get(), "",
                   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
    return sys::Error::from_errno(step, "bind mount " + path + " on itself");
  return {};
}

// /dev/null as an O_PATH fd, refused unless it really is the null device: a container that
// swapped it for a symlink or another node must not get that bound over /proc files.
sys::Result<sys::Fd> open_verified_dev_null(int root_fd) {
  const std::string step = "masked_paths";
  auto null_fd = open_in_root(root_fd, "/dev/null", O_PATH | O_NOFOLLOW, step);
  if (!null_fd) return null_fd;
  struct stat st {};
  if (::fstat(null_fd->get(), &st) != 0) return sys::Error::from_errno(step, "stat /dev/null");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
    return sys::Error::plain(step, "/dev/null is not the null device (char 1:3); refusing to mask");
  return null_fd;
}

sys::Status mask(int root_fd, const std::string& path, sys::Fd& dev_null) {
  const std::string step = "masked_paths";
  auto target = open_in_root(root_fd, path, O_PATH, step);
  if (!target) {
    if (target.error().errnum == ENOENT) return {};
    return target.error();
  }
  struct stat st {};
  if (::fstat(target->get(), &st) != 0) return sys::Error::from_errno(step, "stat " + path);
  std::string where = fd_path_or(target->get(), path);
  if (S_ISDIR(st.st_mode)) {
    if (::mount("tmpfs", where.c_str(), "tmpfs", MS_RDONLY, "nr_blocks=1,nr_inodes=1") != 0)
      return sys::Error::from_errno(step, "mount read-only tmpfs on " + path);
    return {};
  }
  if (!dev_null) {
    auto opened = open_verified_dev_null(root_fd);
    if (!opened) return opened.error();
    dev_null = std::move(*opened);
  }
  if (::mount(fd_path_or(dev_null.get(), "/dev/null").c_str(), where.c_str(), nullptr, MS_BIND,
              nullptr) != 0)
    return sys::Error::from_errno(step, "bind mount /dev/null on " + path);
  return {};
}

}  // namespace

sys::Status apply_readonly_paths(int root_fd, const std::vector<std::string>& paths) {
  for (const auto& path : paths) MR_TRY(make_readonly(root_fd, path));
  return {};
}

sys::Status apply_readonly_paths(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  auto root = open_root("readonly_paths");
  if (!root) return root.error();
  return apply_readonly_paths(root->get(), paths);
}

sys::Status apply_masked_paths(int root_fd, const std::vector<std::string>& paths) {
  sys::Fd dev_null;  // opened and verified on the first file to mask
  for (const auto& path : paths) MR_TRY(mask(root_fd, path, dev_null));
  return {};
}

sys::Status apply_masked_paths(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  auto root = open_root("masked_paths");
  if (!root) return root.error();
  return apply_masked_paths(root->get(), paths);
}

}  // namespace minirun::runtime
