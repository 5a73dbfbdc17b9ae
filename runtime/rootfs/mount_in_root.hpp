// Mounting inside the rootfs (before pivot_root) the way runc does: the target is resolved
// inside the root and mounted on through its fd; a bind or any filesystem, and the delayed
// read-only remounts. config_mounts and cgroup_mount build on these.
#pragma once

#include <string>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"
#include "spec/mount_options.hpp"

namespace minirun::runtime {

// A read-only mount made writable for the rest of the setup (/dev needs its nodes first);
// made read-only after pivot_root, as runc's finalizeRootfs does.
struct DelayedReadonly {
  std::string destination;  // clean, inside the container
  unsigned long flags = 0;  // the mount's flags (MS_RDONLY included)
  std::string data;
};

struct MountContext {
  int root_fd = -1;    // O_PATH fd of the rootfs, taken after its bind onto itself
  std::string rootfs;  // its absolute host path, symlinks resolved
  std::vector<DelayedReadonly>* delayed = nullptr;
};

// Errors have step "mount" and name the destination ("mount tmpfs on /dev/shm (in rootfs)").
sys::Status mount_bind(const MountContext& ctx, const std::string& source,
                       const spec::MountOptions& options, const std::string& dest);
sys::Status mount_filesystem(const MountContext& ctx, const spec::Mount& mount,
                             const spec::MountOptions& options, const std::string& dest);

}  // namespace minirun::runtime
