// The facts of the host's cgroup hierarchies that mounting cgroupfs inside a container needs
// (rootfs/cgroup_mount.cpp), the only ones code outside the drivers reads. The rest of the
// host's picture (host.hpp) stays the cgroupfs driver's.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace minirun::runtime {

// One line of /proc/self/cgroup: "4:cpu,cpuacct:/a/b" for a v1 hierarchy, "0::/a/b" for v2.
struct OwnCgroup {
  std::set<std::string> controllers;  // {"cpu", "cpuacct"}, {"name=systemd"}; empty for v2
  std::string path;
};

// Pure: the lines of /proc/self/cgroup's text.
std::vector<OwnCgroup> parse_proc_self_cgroup(std::string_view text);

// The controllers a v1 cgroup mount carries, from its super options ("rw,cpu,cpuacct").
std::set<std::string> v1_mount_controllers(std::string_view super_options);

// cgroup2 is mounted on /sys/fs/cgroup (statfs, as runc and crun decide it).
bool host_is_pure_v2();

}  // namespace minirun::runtime
