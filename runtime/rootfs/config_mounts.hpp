// One entry of config.json's "mounts", dispatched by kind: a cgroup filesystem
// (rootfs/cgroup_mount), a bind, or any other filesystem (rootfs/mount_in_root).
#pragma once

#include "runtime/rootfs/mount_in_root.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// Errors have step "mount" and name the destination ("mount tmpfs on /dev/shm (in rootfs)").
sys::Status mount_config_entry(const MountContext& ctx, const spec::Mount& mount);

// mount_config_entry's error for mounts[index] as it is reported: in a user namespace an EPERM
// or EACCES names the mount's JSON pointer and why the kernel refuses it there ("config.json:
// /mounts/5: not permitted in a user namespace (...): mount: ..."); other errors unchanged.
sys::Error config_mount_error(const sys::Error& error, size_t index, const spec::Mount& mount);

}  // namespace minirun::runtime
