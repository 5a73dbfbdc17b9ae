// The driver of a rootless container without a delegated cgroup: it makes no cgroup at all.
// An unprivileged user cannot write below the host's cgroup roots, so a container that asks
// for no limits runs in its creator's cgroup, as runc's rootless manager leaves it when the
// mkdir is refused. A config that asks for limits or names a cgroupsPath never gets this far:
// rootless_cgroup_driver (driver.hpp) refuses it before anything exists; runc fails too
// ("cannot set pids limit: container could not join or create cgroup"), only later and after
// making the container.
#pragma once

#include "runtime/cgroups/driver.hpp"

namespace minirun::runtime {

const CgroupDriver& no_cgroups_driver();

// True when linux.resources asks a cgroup for a limit. Device rules do not count: a user
// namespace cannot open a device node it may not already open, and runc's rootless manager
// ignores the devices controller's errors.
bool asks_for_limits(const spec::Resources& resources);

}  // namespace minirun::runtime
