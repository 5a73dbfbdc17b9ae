// Where a container's cgroup is: linux.cgroupsPath read as runc's cgroupfs driver reads it,
// then turned into one directory per hierarchy.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "runtime/cgroups/host.hpp"

namespace minirun::runtime {

// The key of the cgroup2 hierarchy in a container's cgroup paths (State::cgroup_paths).
inline constexpr const char* kUnifiedKey = "unified";

// controller ("memory", "cpu", "name=systemd", kUnifiedKey) -> absolute directory.
using CgroupPaths = std::map<std::string, std::string>;

// The cgroup inside one hierarchy: an absolute cgroupsPath is itself, a relative one lies
// under own_path (the runtime's own cgroup there), an empty or absent one is /minirun/<id>.
std::string container_cgroup_path(const std::optional<std::string>& cgroups_path,
                                  const std::string& id, const std::string& own_path);

// A rootless container's cgroup, as runc's fs2 manager places it: an empty or absent
// cgroupsPath is <id> and a relative one is itself, both below the parent of own_path (the
// caller's own cgroup most probably holds processes already, and cgroup2 passes no controller
// on from a cgroup that does); an absolute one is itself.
std::string rootless_cgroup_path(const std::optional<std::string>& cgroups_path,
                                 const std::string& id, const std::string& own_path);

// The deepest cgroup both clean absolute paths lie in ("/a/b/c", "/a/d" -> "/a"): where
// cgroup2 checks that a process may be moved from one to the other.
std::string common_ancestor(const std::string& a, const std::string& b);

// Every hierarchy's directory for the container. A hierarchy whose mount does not show the
// cgroup (mounted from a deeper root) is left out, as if the host lacked it.
CgroupPaths resolve_cgroup_paths(const CgroupHost& host,
                                 const std::optional<std::string>& cgroups_path,
                                 const std::string& id);

// The distinct directories of paths (co-mounted controllers share one), in a stable order.
std::vector<std::string> distinct_dirs(const CgroupPaths& paths);

}  // namespace minirun::runtime
