// exec's cgroup step: the new process joins every cgroup the container's init is in, so that
// limits, ps and pause cover it. Reads where init is rather than the config, so it works for
// any cgroup layout the create path chose (v1, v2 or hybrid).
#pragma once

#include <sys/types.h>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// For each line of /proc/<source>/cgroup, writes target into <hierarchy mount>/<path>/
// cgroup.procs. Hierarchies not mounted here are skipped. Step "cgroups".
sys::Status join_cgroups_of(pid_t source, pid_t target);

}  // namespace minirun::runtime
