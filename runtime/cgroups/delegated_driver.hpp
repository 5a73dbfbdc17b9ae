// The driver of a rootless container inside a delegated cgroup2 subtree (delegation.hpp): its
// cgroup is one cgroup2 directory, made by the caller where it may write, and every later verb
// (update, pause/resume, ps, kill --all, events, delete) is the cgroupfs driver's file work
// there. v1 hierarchies are left alone: nothing delegates them to a user.
//
// Device rules are not enforced, as runc's rootless manager ignores their errors: the eBPF
// program cgroup2 needs takes privilege a user lacks, and a user namespace cannot make or open
// a device node its user could not already open.
#pragma once

#include "runtime/cgroups/cgroupfs_driver.hpp"
#include "runtime/cgroups/delegation.hpp"

namespace minirun::runtime {

const CgroupDriver& delegated_cgroup2_driver();

// Pure part of the plan, for tests: the plan of a container placed at `place`, given what the
// cgroup where making starts offers (its cgroup.controllers), passes on already (its
// cgroup.subtree_control) and whether it holds processes of its own, which cgroup2 forbids a
// cgroup that passes controllers on.
struct DelegatedStart {
  std::set<std::string> offered;
  std::set<std::string> passed_on;
  bool holds_processes = false;
};
sys::Result<CgroupPlan> plan_delegated_cgroup(const Delegation& place, const DelegatedStart& start,
                                              const spec::Config& config);

}  // namespace minirun::runtime
