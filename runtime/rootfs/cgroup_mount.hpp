// A config mount of type "cgroup" / "cgroup2" (e.g. /sys/fs/cgroup).
//  - pure cgroup v2 host: in a cgroup namespace, a cgroup2 mount (rooted at the container's
//    cgroup); without one, or if the kernel refuses (EPERM/EBUSY), a bind of the container's
//    own cgroup directory, so the container never sees the host's whole tree.
//  - v1 or hybrid host: a tmpfs (mode=755) holding one bind mount per v1 hierarchy of the
//    container's own cgroup in it ("cpu,cpuacct" also gets "cpu" and "cpuacct" symlinks),
//    with the mount's options (ro, nosuid, ...); the tmpfs is made read-only if "ro" was asked.
//    In a cgroup namespace (the host's mounts show "/.." roots) each hierarchy is mounted
//    afresh instead, which the kernel roots at the container's cgroup.
#pragma once

#include <string>

#include "runtime/rootfs/mount_in_root.hpp"

namespace minirun::runtime {

sys::Status mount_cgroup(const MountContext& ctx, const spec::MountOptions& options,
                         const std::string& dest);

}  // namespace minirun::runtime
