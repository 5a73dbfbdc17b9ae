// The mount option names config.json may use, as one table, and a mount's "options" list ->
// what mount(2) and friends need. Pure: no syscalls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spec/config.hpp"

namespace minirun::spec {

struct MountOptions {
  unsigned long flags = 0;    // MS_* passed to the first mount(2) (and to a bind remount)
  unsigned long cleared = 0;  // MS_* the config turned off explicitly ("rw", "suid", ...)
  // MS_SHARED / MS_PRIVATE / ... (| MS_REC), each applied by its own mount(2) after the mount.
  std::vector<unsigned long> propagation;
  // Recursive "rro", "rnosuid", ... options, applied with mount_setattr(AT_RECURSIVE).
  uint64_t attr_set = 0;
  uint64_t attr_clr = 0;
  bool tmpcopyup = false;  // recognised, not implemented (runc copies the old content up)
  std::string data;        // everything else, comma-joined: fs-specific ("size=65536k,mode=755")

  bool is_bind() const;
  bool is_recursive_bind() const;
  // A bind mount ignores everything but MS_BIND|MS_REC; these need a second, remount call.
  bool bind_needs_remount() const;
};

MountOptions parse_mount_options(const std::vector<std::string>& options);

// A bind mount: type "bind", or a "bind" or "rbind" option (runc reads both).
bool is_bind_mount(const Mount& mount);

// Every option parse_mount_options recognises (the rest goes to the filesystem as data),
// sorted: what `features` lists as mountOptions.
std::vector<std::string_view> known_mount_options();

// "rslave" -> MS_SLAVE|MS_REC, for linux.rootfsPropagation; nullopt for anything else.
std::optional<unsigned long> propagation_flag(std::string_view name);

// statvfs f_flag (ST_*) -> the MS_* flags a MS_BIND|MS_REMOUNT must repeat so it does not try to
// change (and, in a user namespace, fail on) the mount's locked nosuid/nodev/noexec/atime flags.
unsigned long remount_flags_from_statvfs(unsigned long st_flags);

}  // namespace minirun::spec
