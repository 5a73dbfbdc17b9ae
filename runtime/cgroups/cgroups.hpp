// A container's cgroups: planned from the config before clone (so an unavailable controller is
// reported before anything exists), created and joined by the parent before init runs, and
// found again from State::cgroup_paths by every later command.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime/cgroups/host.hpp"
#include "runtime/cgroups/paths.hpp"
#include "runtime/cgroups/resources.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct CgroupPlan {
  CgroupHost host;
  CgroupPaths paths;
  std::vector<DirWrite> writes;
  std::vector<spec::DeviceCgroupRule> v2_device_rules;  // non-empty: an eBPF program is needed
  std::set<std::string> v2_controllers;  // what the cgroup2 root offers (its cgroup.controllers)
};

// Detects the host, resolves linux.cgroupsPath and checks linux.resources against it.
sys::Result<CgroupPlan> plan_cgroups(const spec::Config& config, const std::string& id);

// Pure part of plan_cgroups, for tests: host and the cgroup2 controllers usable below its root.
sys::Result<CgroupPlan> plan_cgroups_for(const CgroupHost& host,
                                         const std::set<std::string>& v2_controllers,
                                         const spec::Config& config, const std::string& id);

// Creates the directories (v1 cpuset gets its parent's cpus/mems, cgroup2 ancestors enable
// their controllers for the subtree) and applies the resources. On failure the directories
// made are removed again.
sys::Status create_cgroups(const CgroupPlan& plan);

// create_cgroups, then pid moved into every hierarchy.
sys::Status create_and_join(const CgroupPlan& plan, pid_t pid);

// The paths but the cgroup2 one: what is left to join after clone3(CLONE_INTO_CGROUP).
CgroupPaths without_unified(const CgroupPaths& paths);

// Moves pid into every directory of paths (a plan's, or a container's stored cgroup_paths,
// as exec does for the process it adds).
sys::Status join_cgroups(const CgroupPaths& paths, pid_t pid);

// Resources applied to an existing container (`update`).
sys::Status update_resources(const CgroupPaths& paths, const spec::Resources& resources);

// The pids in the container's cgroup (host pid namespace), from cgroup.procs.
sys::Result<std::vector<pid_t>> cgroup_pids(const CgroupPaths& paths);

// Sends sig to every process in the cgroup, frozen meanwhile so none forks away.
sys::Status signal_all(const CgroupPaths& paths, int sig);

// signal_all for a container whose creation was interrupted: its init may have joined only
// some hierarchies (cgroup2 at clone, then the v1 ones one by one), so every one is read.
sys::Status signal_all_in_every_hierarchy(const CgroupPaths& paths, int sig);

// Removes every directory, retrying briefly while the kernel still counts exiting tasks.
sys::Status remove_cgroups(const CgroupPaths& paths);

// One rmdir per directory, nothing read first: true when all are gone. The common end of a
// foreground run, whose cgroups are empty leaves once init is reaped.
bool remove_empty_cgroups(const CgroupPaths& paths);

// The controllers usable in cgroups below `dir` of a cgroup2 hierarchy (its cgroup.controllers).
std::set<std::string> read_v2_controllers(const std::string& dir);

// The controllers `dir` of a cgroup2 hierarchy passes on to its children (its
// cgroup.subtree_control).
std::set<std::string> read_v2_subtree_control(const std::string& dir);

}  // namespace minirun::runtime
