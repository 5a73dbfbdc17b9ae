// A delegated cgroup2 subtree: part of the cgroup2 hierarchy an unprivileged user may write,
// as systemd's Delegate= hands user@UID.service to its user, or an administrator chowns a
// directory and its cgroup.procs, cgroup.subtree_control and cgroup.threads (the kernel's
// cgroup-v2 "Delegation"). A rootless container gets a cgroup only inside one; the kernel then
// lets its creator make it, move processes into it, set its limits, freeze it and remove it.
#pragma once

#include <optional>
#include <string>

#include "runtime/cgroups/host.hpp"
#include "runtime/sys/error.hpp"

namespace minirun::runtime {

struct Delegation {
  CgroupHierarchy unified;
  std::string dir;       // the container's cgroup directory
  std::string existing;  // dir, or its deepest ancestor that exists: where making it starts
};

// Where a rootless container's cgroup goes (rootless_cgroup_path in the cgroup2 hierarchy) and
// whether this process may have it there: the deepest existing directory on the way must be
// writable, and so must cgroup.procs of the cgroup holding both this process and the new one,
// which is what the kernel checks to move a process between them. The error says what is not
// writable by whom.
sys::Result<Delegation> find_delegation(const CgroupHost& host,
                                        const std::optional<std::string>& cgroups_path,
                                        const std::string& id);

}  // namespace minirun::runtime
