#include "runtime/rootfs/rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "runtime/rootfs/config_mounts.hpp"
#include "runtime/rootfs/devices.hpp"
#include "runtime/sys/mountinfo.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "runtime/sys/trace.hpp"
#include "spec/mount_options.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kMount = "mount";
constexpr const char* kPivot = "pivot_root";

sys::Result<unsigned long> root_propagation(const spec::Config& config) {
  if (!config.linux || config.linux->rootfsPropagation.empty()) return 0ul;
  auto flag = spec::propagation_flag(config.linux->rootfsPropagation);
  if (!flag)
    return sys::Error::plain(
        kMount, "unknown rootfsPropagation \"" + config.linux->rootfsPropagation + "\"");
  return *flag;
}

// pivot_root and MS_MOVE refuse a new root whose parent mount is shared; a shared parent would
// also propagate the rootfs bind to other namespaces.
sys::Status make_rootfs_mount_private(const std::string& rootfs) {
  auto mounts = read_mountinfo(kMount);
  if (!mounts) return mounts.error();
  const MountInfoEntry* parent = mount_containing(*mounts, rootfs);
  if (!parent || !parent->is_shared()) return {};
  if (::mount(nullptr, parent->mount_point.c_str(), nullptr, MS_PRIVATE, nullptr) != 0)
    return sys::Error::from_errno(kMount, "make " + parent->mount_point + " private");
  return {};
}

// An unbindable "/" (recursive: every mount) would refuse the rootfs's bind onto itself, and
// every bind after it (masked files, readonly paths, the console): until then the set-up runs
// with the same reach but private, and the unbindable flag comes last (finish_root_propagation).
unsigned long setup_propagation(unsigned long flag) {
  return (flag & MS_UNBINDABLE) ? (flag & ~MS_UNBINDABLE) | MS_PRIVATE : flag;
}

sys::Status prepare_root(const std::string& rootfs, unsigned long propagation, RootEntry entry) {
  if (entry == RootEntry::chroot_in_caller_ns) {
    // The caller's mounts keep their propagation. What is bound here reaches the peers of the
    // rootfs's parent mount, as any mount there would; once private, nothing mounted on it
    // does (runc instead makes the caller's "/" rslave and the parent private).
    if (::mount(rootfs.c_str(), rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
      return sys::Error::from_errno(kMount, "bind mount rootfs " + rootfs + " onto itself");
    if (::mount(nullptr, rootfs.c_str(), nullptr, MS_PRIVATE | MS_REC, nullptr) != 0)
      return sys::Error::from_errno(kMount, "make the bind mount of rootfs " + rootfs + " private");
    return {};
  }
  unsigned long flag = propagation != 0 ? setup_propagation(propagation) : (MS_SLAVE | MS_REC);
  if (::mount(nullptr, "/", nullptr, flag, nullptr) != 0)
    return sys::Error::from_errno(kMount, "set propagation of /");
  // After a recursive slave, private or unbindable on "/" no mount of this namespace is
  // shared: the mountinfo read (the kernel formats every mount for it) would find nothing.
  bool none_shared = (flag & MS_REC) && (flag & (MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE));
  if (!none_shared) MR_TRY(make_rootfs_mount_private(rootfs));
  if (::mount(rootfs.c_str(), rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
    return sys::Error::from_errno(kMount, "bind mount rootfs " + rootfs + " onto itself");
  return {};
}

sys::Status pivot_into(int root_fd) {
  sys::Fd old_root(::open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!old_root) return sys::Error::from_errno(kPivot, "open old /");
  if (::fchdir(root_fd) != 0) return sys::Error::from_errno(kPivot, "chdir to rootfs");
  // pivot_root(".", "."): the old root ends up stacked on the new one, to be detached below;
  // no directory for it is needed inside the rootfs.
  if (::syscall(SYS_pivot_root, ".", ".") != 0)
    return sys::Error::from_errno(kPivot, "pivot_root to rootfs");
  if (::fchdir(old_root.get()) != 0) return sys::Error::from_errno(kPivot, "chdir to old /");
  // Unmounts below must not propagate to the host.
  if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
    return sys::Error::from_errno(kPivot, "make old / rslave");
  if (::umount2(".", MNT_DETACH) != 0) return sys::Error::from_errno(kPivot, "detach old /");
  if (::chdir("/") != 0) return sys::Error::from_errno(kPivot, "chdir to new /");
  return {};
}

sys::Status move_into(int root_fd) {
  if (::fchdir(root_fd) != 0) return sys::Error::from_errno(kPivot, "chdir to rootfs");
  if (::mount(".", "/", nullptr, MS_MOVE, nullptr) != 0)
    return sys::Error::from_errno(kPivot, "move rootfs mount to / (--no-pivot)");
  if (::chroot(".") != 0) return sys::Error::from_errno(kPivot, "chroot to rootfs (--no-pivot)");
  if (::chdir("/") != 0) return sys::Error::from_errno(kPivot, "chdir to new /");
  return {};
}

// In the caller's mount namespace: chroot only, the caller's "/" stays where it is.
sys::Status chroot_into(int root_fd) {
  if (::fchdir(root_fd) != 0) return sys::Error::from_errno(kPivot, "chdir to rootfs");
  if (::chroot(".") != 0) return sys::Error::from_errno(kPivot, "chroot to rootfs");
  if (::chdir("/") != 0) return sys::Error::from_errno(kPivot, "chdir to new /");
  return {};
}

sys::Status enter_root(int root_fd, RootEntry entry) {
  switch (entry) {
    case RootEntry::pivot_root:
      return pivot_into(root_fd);
    case RootEntry::move_mount:
      return move_into(root_fd);
    case RootEntry::chroot_in_caller_ns:
      return chroot_into(root_fd);
  }
  return sys::Error::plain(kPivot, "unknown way into the rootfs");
}

const char* entry_name(RootEntry entry) {
  return entry == RootEntry::pivot_root ? "pivot_root" : "chroot";
}

// After pivot_root: /dev read-only if the config asked for it (delayed so its nodes could be
// made), then "/" if root.readonly.
sys::Status finalize_readonly(const spec::Config& config,
                              const std::vector<DelayedReadonly>& delayed) {
  if (!delayed.empty()) {
    sys::Fd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) return sys::Error::from_errno(kMount, "open / (in container)");
    for (const auto& d : delayed) {
      auto target = open_in_root(root.get(), d.destination, O_PATH | O_DIRECTORY, kMount);
      if (!target) return target.error();
      if (::mount(nullptr, fd_path_or(target->get(), d.destination).c_str(), nullptr,
                  d.flags | MS_REMOUNT | MS_RDONLY, d.data.empty() ? nullptr : d.data.c_str()) != 0)
        return sys::Error::from_errno(kMount, "remount " + d.destination + " read-only");
    }
  }
  if (config.root && config.root->readonly) {
    struct statvfs st {};
    if (::statvfs("/", &st) != 0) return sys::Error::from_errno(kMount, "statvfs /");
    unsigned long flags =
        MS_BIND | MS_REMOUNT | MS_RDONLY | spec::remount_flags_from_statvfs(st.f_flag);
    if (::mount(nullptr, "/", nullptr, flags, nullptr) != 0)
      return sys::Error::from_errno(kMount, "remount / read-only (root.readonly)");
  }
  return {};
}

// The steps no later mount can change, taken before init first waits for the parent.
sys::Status run_early_steps(int root_fd, const spec::Config& config, const RootfsStepOrder& order) {
  constexpr const char* kEarly = "ahead of the wait for the parent";
  if (order.dev_early)
    MR_TRY(traced("dev", "device nodes and links", [&] { return setup_dev(root_fd, config); }));
  if (!order.early_readonly.empty())
    MR_TRY(traced("readonly paths", kEarly,
                  [&] { return apply_readonly_paths(root_fd, order.early_readonly); }));
  if (!order.early_masked.empty())
    MR_TRY(traced("masked paths", kEarly,
                  [&] { return apply_masked_paths(root_fd, order.early_masked); }));
  return {};
}

// The order was planned on the paths as written. A symlink in the rootfs on the way to an
// early path, a later mount's destination or the working directory could make a later mount
// land on an early path after all: then nothing goes early.
bool written_paths_hold(int root_fd, const spec::Config& config, const RootfsStepOrder& order,
                        size_t later_from) {
  auto holds = [&](const std::string& path) { return reached_without_symlinks(root_fd, path); };
  for (const auto* paths : {&order.early_readonly, &order.early_masked})
    if (!std::all_of(paths->begin(), paths->end(), holds)) return false;
  for (size_t i = later_from; i < config.mounts.size(); ++i)
    if (!holds(config.mounts[i].destination)) return false;
  return !config.process || config.process->cwd.empty() || holds(config.process->cwd);
}

}  // namespace

sys::Status prepare_rootfs(const spec::Config& config, const std::string& rootfs, RootEntry entry,
                           RootfsStepOrder& order, const RootfsCallbacks& callbacks) {
  auto propagation = root_propagation(config);
  if (!propagation) return propagation.error();

  MR_TRY(prepare_root(rootfs, *propagation, entry));
  // Opened after the self-bind, so lookups start at the bind mount's root.
  sys::Fd root(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys::Error::from_errno(kMount, "open rootfs " + rootfs);

  std::vector<DelayedReadonly> delayed;
  MountContext ctx{root.get(), rootfs, &delayed};
  for (size_t i = 0; i < config.mounts.size(); ++i) {
    const spec::Mount& mount = config.mounts[i];
    if (order.early_before_mount == i) {
      if (written_paths_hold(root.get(), config, order, i))
        MR_TRY(run_early_steps(root.get(), config, order));
      else
        order = all_late(config);
    }
    if (callbacks.before_mount) MR_TRY(callbacks.before_mount(mount));
    auto mounted = traced("mount", mount.type + " on " + mount.destination,
                          [&] { return mount_config_entry(ctx, mount); });
    if (!mounted) return config_mount_error(mounted.error(), i, mount);
  }

  bool needs_dev = needs_dev_setup(config);
  if (needs_dev && !order.dev_early)
    MR_TRY(traced("dev", "device nodes and links", [&] { return setup_dev(root.get(), config); }));
  if (config.process && !config.process->cwd.empty()) {
    auto cwd = mkdir_all_in_root(root.get(), config.process->cwd, 0755, kMount);
    if (!cwd) return cwd.error();
  }

  if (::fchdir(root.get()) != 0) return sys::Error::from_errno(kPivot, "chdir to rootfs");
  if (callbacks.before_pivot) MR_TRY(callbacks.before_pivot());
  MR_TRY(traced(entry_name(entry), "", [&] { return enter_root(root.get(), entry); }));
  root.reset();

  if (*propagation != 0 && !(*propagation & MS_UNBINDABLE) &&
      ::mount(nullptr, "/", nullptr, *propagation, nullptr) != 0)
    return sys::Error::from_errno(kMount, "set propagation of / (rootfsPropagation)");
  if (needs_dev) MR_TRY(reopen_dev_null());
  if (callbacks.after_pivot) MR_TRY(callbacks.after_pivot());
  return finalize_readonly(config, delayed);
}

sys::Status finish_root_propagation(const spec::Config& config) {
  auto propagation = root_propagation(config);
  if (!propagation) return propagation.error();
  if (!(*propagation & MS_UNBINDABLE)) return {};
  if (::mount(nullptr, "/", nullptr, *propagation, nullptr) != 0)
    return sys::Error::from_errno(kMount, "set propagation of / (rootfsPropagation)");
  return {};
}

sys::Result<uint64_t> mount_id_of(const std::string& path) {
  struct statx stx {};
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_MNT_ID, &stx) !=
      0)
    return sys::Error::from_errno(kMount, "statx " + path);
  if (!(stx.stx_mask & STATX_MNT_ID))
    return sys::Error::plain(kMount, "statx " + path + ": the kernel reports no mount ID");
  return uint64_t{stx.stx_mnt_id};
}

sys::Status detach_rootfs_mounts(const std::string& rootfs, uint64_t below) {
  // Each round detaches the topmost mount at the path (with everything mounted on it).
  // Bounded: a container could stack mounts on its "/" while we go.
  for (int round = 0; round < 64; ++round) {
    auto top = mount_id_of(rootfs);
    if (!top) return top.error().errnum == ENOENT ? sys::Status{} : sys::Status{top.error()};
    if (*top == below) return {};
    // `below` gone means so is everything that was ever stacked on it: what is at the path
    // now is somebody else's.
    auto mounts = read_mountinfo(kMount);
    if (!mounts) return mounts.error();
    if (std::none_of(mounts->begin(), mounts->end(),
                     [&](const MountInfoEntry& m) { return m.id == below; }))
      return {};
    if (::umount2(rootfs.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
      // EINVAL: the path is no mount point any more, the mount holding it is not ours.
      return errno == EINVAL ? sys::Status{}
                             : sys::Status{sys::Error::from_errno(kMount, "detach " + rootfs)};
  }
  return sys::Error::plain(kMount, "detach " + rootfs + ": mounts keep being stacked on it");
}

}  // namespace minirun::runtime
