// Which cgroup hierarchies this host has, from /proc/self/mountinfo and /proc/self/cgroup:
// pure cgroup2 (cgroup2 on /sys/fs/cgroup), v1 only, or hybrid (v1 controllers plus a cgroup2
// at /sys/fs/cgroup/unified). Decided at run time; crun refuses hybrid hosts, we do not.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cgroups/mount_facts.hpp"
#include "runtime/sys/error.hpp"
#include "runtime/sys/mountinfo.hpp"

namespace minirun::runtime {

struct CgroupHierarchy {
  std::string mount_point;            // /sys/fs/cgroup/memory
  std::string root;                   // the mount's root inside the hierarchy, usually "/"
  std::set<std::string> controllers;  // v1: {"cpu","cpuacct"}, {"name=systemd"}; v2: empty
  std::string own_path;               // this process's cgroup in it, from /proc/self/cgroup

  // The directory of cgroup `path` (absolute inside the hierarchy); nullopt when the mount
  // does not show it (path outside the mount's root).
  std::optional<std::string> dir_of(const std::string& path) const;
};

struct CgroupHost {
  bool pure_v2 = false;  // cgroup2 mounted on /sys/fs/cgroup itself
  std::vector<CgroupHierarchy> v1;
  std::optional<CgroupHierarchy> unified;  // the cgroup2 hierarchy, pure or hybrid
};

// Pure: mounts as read_mountinfo() gives them, /proc/self/cgroup's text.
CgroupHost detect_cgroup_host(const std::vector<MountInfoEntry>& mounts,
                              std::string_view proc_self_cgroup);

// Pure: the host when cgroup2 is mounted on /sys/fs/cgroup, from /proc/self/cgroup's text
// alone. As runc takes it: the mount shows the hierarchy's root, and no v1 hierarchy counts.
CgroupHost pure_v2_host(std::string_view proc_self_cgroup);

// The host as this process sees it now. A pure cgroup2 host is known without reading
// mountinfo, which costs the kernel a line per mount (about 80 us a start here).
sys::Result<CgroupHost> read_cgroup_host();

}  // namespace minirun::runtime
