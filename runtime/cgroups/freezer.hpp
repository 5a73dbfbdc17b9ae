// pause/resume: the v1 freezer (freezer.state) or cgroup2's cgroup.freeze, whichever holds
// the container; a hybrid host uses its v1 freezer.
#pragma once

#include "runtime/cgroups/paths.hpp"
#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// Returns once every task is frozen (or fails after about a second).
sys::Status freeze_cgroup(const CgroupPaths& paths);
sys::Status thaw_cgroup(const CgroupPaths& paths);
// False also when the container has no freezer.
bool cgroup_frozen(const CgroupPaths& paths);

}  // namespace minirun::runtime
