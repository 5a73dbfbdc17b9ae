// A config mount of type "cgroup" / "cgroup2" (e.g. /sys/fs/cgroup).
//  - pure cgroup v2 host: a cgroup2 mount (shows the container's cgroup namespace, if any); if
//    the kernel refuses (EPERM/EBUSY, e.g. a user namespace without a cgroup namespace), a bind
//    of the container's own cgroup directory instead, as runc does.
//  - v1 or hybrid host: a tmpfs (mode=755) holding one bind mount per v1 hierarchy of the
//    container's own cgroup in it ("cpu,cpuacct" also gets "cpu" and "cpuacct" symlinks),
//    with the mount's options (ro, nosuid, ...); the tmpfs is made read-only if "ro" was asked.
//    When the own cgroup cannot be located in a hierarchy, the whole hierarchy is bound.
#pragma once

#include <string>

#include "runtime/config_mounts.hpp"

namespace minirun::runtime {

sys::Status mount_cgroup(const MountContext& ctx, const MountOptions& options,
                         const std::string& dest);

}  // namespace minirun::runtime
