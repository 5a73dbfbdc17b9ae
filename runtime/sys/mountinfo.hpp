// /proc/self/mountinfo, for the few places that must know the host's mounts: the propagation of
// the rootfs's parent mount and the cgroup v1 hierarchies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

struct MountInfoEntry {
  uint64_t id = 0;          // the mount ID, as statx(2) STATX_MNT_ID reports it
  uint64_t parent_id = 0;   // the mount it is mounted on (itself for the namespace's root)
  std::string root;         // the mount's root inside its filesystem
  std::string mount_point;  // as seen by the reading process
  std::string mount_options;
  std::vector<std::string> optional_fields;  // "shared:1", "master:2", ...
  std::string fs_type;
  std::string source;
  std::string super_options;

  bool is_shared() const;
};

// One line of mountinfo(5), octal escapes ("\040") decoded; nullopt when malformed. Pure.
std::optional<MountInfoEntry> parse_mountinfo_line(std::string_view line);

// The entries still reachable by path: an entry is hidden when a later one (mounted on top)
// sits at its mount point or above it, as a cgroup2 mounted over a v1 /sys/fs/cgroup does. Pure.
std::vector<MountInfoEntry> visible_mounts(const std::vector<MountInfoEntry>& mounts);

// All entries of /proc/self/mountinfo, in file order (later entries are mounted on top).
sys::Result<std::vector<MountInfoEntry>> read_mountinfo(const std::string& step);

// The entry of the mount that contains `path` (absolute, clean): the last one whose mount point
// is `path` or one of its ancestors, with the longest such mount point. nullptr if none.
const MountInfoEntry* mount_containing(const std::vector<MountInfoEntry>& mounts,
                                       const std::string& path);

// True when `path` is `dir` or below it (both clean, absolute).
bool path_is_within(const std::string& path, const std::string& dir);

}  // namespace minirun::runtime
