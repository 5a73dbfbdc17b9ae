#include "spec/mount_options.hpp"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <array>

// glibc 2.36 lacks it; the kernel value (include/linux/statfs.h).
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

namespace minirun::spec {

namespace {

struct FlagOption {
  std::string_view name;
  bool clear;  // the option turns the flag off ("rw" clears MS_RDONLY)
  unsigned long flag;
};

constexpr std::array<FlagOption, 33> kFlagOptions{{
    {"defaults", false, 0},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"nosuid", false, MS_NOSUID},
    {"suid", true, MS_NOSUID},
    {"nodev", false, MS_NODEV},
    {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},
    {"exec", true, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"atime", true, MS_NOATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"diratime", true, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"bind", false, MS_BIND},
    {"rbind", false, MS_BIND | MS_REC},
    {"iversion", false, MS_I_VERSION},
    {"noiversion", true, MS_I_VERSION},
    {"silent", false, MS_SILENT},
    {"loud", true, MS_SILENT},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"symfollow", true, MS_NOSYMFOLLOW},
    {"lazytime", false, MS_LAZYTIME},
    {"nolazytime", true, MS_LAZYTIME},
}};

constexpr std::array<std::pair<std::string_view, unsigned long>, 8> kPropagation{{
    {"private", MS_PRIVATE},
    {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},
    {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE},
    {"runbindable", MS_UNBINDABLE | MS_REC},
}};

struct AttrOption {
  std::string_view name;
  uint64_t set;
  uint64_t clr;
};

// mount_setattr wants the whole atime mask cleared whenever an atime mode is set.
constexpr std::array<AttrOption, 14> kRecursiveOptions{{
    {"rro", MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, MOUNT_ATTR_NOSUID},
    {"rnodev", MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, MOUNT_ATTR_NODEV},
    {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
}};

bool apply_flag_option(MountOptions& out, std::string_view option) {
  for (const auto& o : kFlagOptions) {
    if (o.name != option) continue;
    if (o.clear) {
      out.flags &= ~o.flag;
      out.cleared |= o.flag;
    } else {
      out.flags |= o.flag;
      out.cleared &= ~o.flag;
    }
    return true;
  }
  return false;
}

bool apply_recursive_option(MountOptions& out, std::string_view option) {
  for (const auto& o : kRecursiveOptions) {
    if (o.name != option) continue;
    // Last one wins: "rro,rrw" asks for rw only; a new atime mode replaces the old one.
    out.attr_set &= ~(o.clr | o.set);
    out.attr_clr &= ~o.set;
    out.attr_set |= o.set;
    out.attr_clr |= o.clr;
    return true;
  }
  return false;
}

}  // namespace

bool MountOptions::is_bind() const {
  return (flags & MS_BIND) != 0;
}
bool MountOptions::is_recursive_bind() const {
  return is_bind() && (flags & MS_REC) != 0;
}
bool MountOptions::bind_needs_remount() const {
  return is_bind() && (flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) != 0;
}

MountOptions parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  for (const auto& option : options) {
    if (apply_flag_option(out, option)) continue;
    if (auto p = propagation_flag(option)) {
      out.propagation.push_back(*p);
      continue;
    }
    if (apply_recursive_option(out, option)) continue;
    if (option == "tmpcopyup") {
      out.tmpcopyup = true;
      continue;
    }
    if (option.empty()) continue;
    if (!out.data.empty()) out.data += ',';
    out.data += option;
  }
  return out;
}

std::vector<std::string_view> known_mount_options() {
  std::vector<std::string_view> names{"tmpcopyup"};
  for (const auto& o : kFlagOptions) names.push_back(o.name);
  for (const auto& [name, flag] : kPropagation) names.push_back(name);
  for (const auto& o : kRecursiveOptions) names.push_back(o.name);
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<unsigned long> propagation_flag(std::string_view name) {
  for (const auto& [n, flag] : kPropagation)
    if (n == name) return flag;
  return std::nullopt;
}

unsigned long remount_flags_from_statvfs(unsigned long st_flags) {
  unsigned long out = 0;
  if (st_flags & ST_RDONLY) out |= MS_RDONLY;
  if (st_flags & ST_NOSUID) out |= MS_NOSUID;
  if (st_flags & ST_NODEV) out |= MS_NODEV;
  if (st_flags & ST_NOEXEC) out |= MS_NOEXEC;
  if (st_flags & ST_NODIRATIME) out |= MS_NODIRATIME;
  if (st_flags & ST_NOSYMFOLLOW) out |= MS_NOSYMFOLLOW;
  // The kernel picks relatime when a remount names no atime mode, so name the current one.
  if (st_flags & ST_NOATIME)
    out |= MS_NOATIME;
  else if (st_flags & ST_RELATIME)
    out |= MS_RELATIME;
  else
    out |= MS_STRICTATIME;
  return out;
}

bool is_bind_mount(const Mount& mount) {
  if (mount.type == "bind") return true;
  return std::any_of(mount.options.begin(), mount.options.end(),
                     [](const std::string& o) { return o == "bind" || o == "rbind"; });
}

}  // namespace minirun::spec
