#include "runtime/rootfs/mount_in_root.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <optional>

#include "runtime/sys/mountinfo.hpp"
#include "runtime/sys/paths_in_root.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "mount";

// Files under /proc that lxcfs-like tools may bind over (runc's list).
constexpr std::array<std::string_view, 11> kAllowedInProc{
    "/proc/cpuinfo",
    "/proc/diskstats",
    "/proc/meminfo",
    "/proc/stat",
    "/proc/swaps",
    "/proc/uptime",
    "/proc/loadavg",
    "/proc/slabinfo",
    "/proc/net/dev",
    "/proc/sys/kernel/ns_last_pid",
    "/proc/sys/crypto/fips_enabled",
};

// Where an opened target really is inside the rootfs, by the kernel's own name of the fd;
// `fallback` (the lexical destination) when that cannot be read.
std::string path_in_rootfs(const MountContext& ctx, int fd, const std::string& fallback) {
  std::array<char, 4096> buf{};
  ssize_t n = ::readlink(fd_path(fd).c_str(), buf.data(), buf.size() - 1);
  if (n <= 0) return fallback;
  std::string host(buf.data(), static_cast<size_t>(n));
  if (!path_is_within(host, ctx.rootfs)) return fallback;
  std::string inside = host.substr(ctx.rootfs == "/" ? 0 : ctx.rootfs.size());
  return inside.empty() ? "/" : inside;
}

// runc's checkProcMount: nothing may be mounted inside /proc but a few lxcfs files, and /proc
// itself only takes a procfs (a new one, or a bind of one).
sys::Status check_proc_destination(const MountContext& ctx, int target_fd, const std::string& dest,
                                   const std::string& type, int bind_source_fd) {
  std::string inside = path_in_rootfs(ctx, target_fd, dest);
  if (!path_is_within(inside, "/proc")) return {};
  if (inside == "/proc") {
    if (type == "proc") return {};
    struct statfs sf {};
    if (bind_source_fd >= 0 && ::fstatfs(bind_source_fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC)
      return {};
    return sys::Error::plain(kStep,
                             "\"" + dest + "\" cannot be mounted because it is not of type proc");
  }
  for (auto allowed : kAllowedInProc)
    if (inside == allowed) return {};
  return sys::Error::plain(kStep, "\"" + dest + "\" cannot be mounted because it is inside /proc");
}

sys::Status remount_bind(int fd, const std::string& dest, const spec::MountOptions& options) {
  std::string where = fd_path(fd);
  unsigned long flags = (options.flags & ~MS_REC) | MS_REMOUNT | MS_BIND;
  if (::mount(nullptr, where.c_str(), nullptr, flags, nullptr) == 0) return {};
  // In a user namespace the source's nosuid/nodev/noexec/atime flags are locked: keep those
  // the config did not explicitly turn off, and try once more.
  if (errno == EPERM) {
    struct statvfs st {};
    if (::statvfs(where.c_str(), &st) == 0) {
      flags |= spec::remount_flags_from_statvfs(st.f_flag) & ~options.cleared;
      if (::mount(nullptr, where.c_str(), nullptr, flags, nullptr) == 0) return {};
    }
  }
  return sys::Error::from_errno(kStep,
                                "remount bind mount " + dest + " (in rootfs) with its options");
}

// What every mount gets after the mount call itself: propagation, then recursive attributes.
sys::Status apply_after_mount(int fd, const std::string& dest, const spec::MountOptions& options) {
  std::string where = fd_path(fd);
  for (unsigned long flag : options.propagation)
    if (::mount(nullptr, where.c_str(), nullptr, flag, nullptr) != 0)
      return sys::Error::from_errno(kStep, "set propagation of " + dest + " (in rootfs)");
  if (options.attr_set != 0 || options.attr_clr != 0) {
    mount_attr attr{};
    attr.attr_set = options.attr_set;
    attr.attr_clr = options.attr_clr;
    if (::mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
      return sys::Error::from_errno(kStep, "set recursive options of " + dest + " (in rootfs)");
  }
  return {};
}

}  // namespace

sys::Status mount_bind(const MountContext& ctx, const std::string& source,
                       const spec::MountOptions& options, const std::string& dest) {
  sys::Fd src(::open(source.c_str(), O_PATH | O_CLOEXEC));
  if (!src) return sys::Error::from_errno(kStep, "open bind source " + source + " for " + dest);
  struct stat st {};
  if (::fstat(src.get(), &st) != 0)
    return sys::Error::from_errno(kStep, "stat bind source " + source);
  auto target = S_ISDIR(st.st_mode) ? mkdir_all_in_root(ctx.root_fd, dest, 0755, kStep)
                                    : ensure_file_in_root(ctx.root_fd, dest, kStep);
  if (!target) return target.error();
  MR_TRY(check_proc_destination(ctx, target->get(), dest, "bind", src.get()));
  if (::mount(fd_path(src.get()).c_str(), fd_path(target->get()).c_str(), nullptr,
              MS_BIND | (options.flags & MS_REC), nullptr) != 0)
    return sys::Error::from_errno(kStep, "bind mount " + source + " on " + dest + " (in rootfs)");
  // The old fd names what is under the new mount; remount and propagation need its root.
  auto mounted = open_in_root(ctx.root_fd, dest, O_PATH, kStep);
  if (!mounted) return mounted.error();
  if (options.bind_needs_remount()) MR_TRY(remount_bind(mounted->get(), dest, options));
  return apply_after_mount(mounted->get(), dest, options);
}

sys::Status mount_filesystem(const MountContext& ctx, const spec::Mount& mount,
                             const spec::MountOptions& options, const std::string& dest) {
  const std::string& type = mount.type;
  // CVE-2019-19921: procfs and sysfs go on a real directory, never through a final symlink.
  bool needs_plain_dir = type == "proc" || type == "sysfs";
  std::optional<mode_t> old_mode;
  sys::Fd target;
  auto existing =
      open_in_root(ctx.root_fd, dest, O_PATH | (needs_plain_dir ? O_NOFOLLOW : 0), kStep);
  if (existing) {
    struct stat st {};
    if (::fstat(existing->get(), &st) != 0)
      return sys::Error::from_errno(kStep, "stat " + dest + " (in rootfs)");
    if (needs_plain_dir && !S_ISDIR(st.st_mode))
      return sys::Error::plain(
          kStep, "filesystem \"" + type + "\" must be mounted on ordinary directory: " + dest);
    old_mode = st.st_mode & 07777;
    target = std::move(*existing);
  } else if (existing.error().errnum == ENOENT) {
    auto made = mkdir_all_in_root(ctx.root_fd, dest, 0755, kStep);
    if (!made) return made.error();
    target = std::move(*made);
  } else {
    return existing.error();
  }
  MR_TRY(check_proc_destination(ctx, target.get(), dest, type, -1));

  // A read-only tmpfs or /dev is mounted writable first: /dev needs its nodes and a tmpfs its
  // mode; they become read-only later (runc does the same).
  unsigned long flags = options.flags;
  bool delay_readonly = (flags & MS_RDONLY) && (type == "tmpfs" || dest == "/dev");
  if (delay_readonly) flags &= ~MS_RDONLY;
  const std::string& source = mount.source.empty() ? type : mount.source;
  if (::mount(source.c_str(), fd_path(target.get()).c_str(), type.c_str(), flags,
              options.data.empty() ? nullptr : options.data.c_str()) != 0)
    return sys::Error::from_errno(kStep, "mount " + type + " on " + dest + " (in rootfs)");

  // The rest works on the new mount's root, which a lookup must find again; most mounts
  // (proc, devpts, mqueue, sysfs) need none of it.
  const bool keep_mode = type == "tmpfs" && old_mode;
  if (!keep_mode && !delay_readonly && options.propagation.empty() && options.attr_set == 0 &&
      options.attr_clr == 0)
    return {};
  auto mounted = open_in_root(ctx.root_fd, dest, O_PATH, kStep);
  if (!mounted) return mounted.error();
  std::string where = fd_path(mounted->get());
  // runc keeps the mode of the directory a tmpfs is mounted over.
  if (keep_mode && ::chmod(where.c_str(), *old_mode) != 0)
    return sys::Error::from_errno(kStep, "chmod tmpfs on " + dest + " (in rootfs)");
  if (delay_readonly) {
    if (dest == "/dev") {
      ctx.delayed->push_back({dest, options.flags, options.data});
    } else if (::mount(nullptr, where.c_str(), nullptr, options.flags | MS_REMOUNT | MS_RDONLY,
                       options.data.empty() ? nullptr : options.data.c_str()) != 0) {
      return sys::Error::from_errno(kStep, "remount " + dest + " (in rootfs) read-only");
    }
  }
  return apply_after_mount(mounted->get(), dest, options);
}

}  // namespace minirun::runtime
