// /dev inside the rootfs: device nodes (runc's defaults plus linux.devices), the /dev/fd and
// stdio symlinks, /dev/ptmx -> pts/ptmx. Everything through fds of the rootfs.
#pragma once

#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// runc sets /dev up unless the config bind-mounts something over /dev.
bool needs_dev_setup(const spec::Config& config);

// null, zero, full, random, urandom, tty (runc's defaults), then linux.devices; a config device
// with a default's path replaces the default.
std::vector<spec::Device> devices_to_create(const spec::Config& config);

// Whether init binds the host's nodes instead of making them: it runs in a user namespace (the
// runtime does, or the config has one), where mknod cannot make a device, as runc decides it.
bool binds_device_nodes(const spec::Config& config);

// Before anything exists, when /dev is set up and its nodes are bound: each linux.devices
// entry's host node exists at the entry's path and is the device the entry names (type and,
// but for a fifo, major:minor). Otherwise one line naming /linux/devices/N.
sys::Status check_bound_devices(const spec::Config& config);

// Creates the nodes and symlinks under `root_fd` (the rootfs, before pivot_root). Nodes are
// mknod'ed, or bind-mounted from the host's node onto an empty file when mknod is not allowed
// (binds_device_nodes, or EPERM). Errors have step "devices".
sys::Status setup_dev(int root_fd, const spec::Config& config);

// After pivot_root: stdio fds that point at a /dev/null (the host's) are pointed at the
// container's /dev/null instead, as runc does.
sys::Status reopen_dev_null();

}  // namespace minirun::runtime
