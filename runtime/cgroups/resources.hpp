// linux.resources as cgroup file writes. The file names and values are pure functions of the
// resources (one per controller and cgroup version), so they are tested without a cgroupfs;
// where each controller lives decides v1 or v2, and a controller the host lacks is an error
// naming it, unless the resources ask nothing of it.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cgroups/paths.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct CgroupWrite {
  std::string file;
  std::string value;
  // Written instead when `file` does not exist (blkio.weight vs blkio.bfq.weight).
  std::string fallback_file;
  std::string fallback_value;
};

// The controllers linux.resources reaches, by their v1 names, in the order they are applied
// (cpuset first: a v1 cpuset must have cpus and mems before anything joins).
const std::vector<std::string>& resource_controllers();

// The files of one controller, v1 or v2 flavour; empty when the resources ask nothing of it.
// v2 uses "io" for blkio. Errors are values that cannot be expressed (v2 swap without limit).
sys::Result<std::vector<CgroupWrite>> v1_controller_writes(std::string_view controller,
                                                           const spec::Resources& resources);
sys::Result<std::vector<CgroupWrite>> v2_controller_writes(std::string_view controller,
                                                           const spec::Resources& resources);

// The controllers whose files are the same in v1 and v2: cpuset.cpus/mems, pids.max, rdma.max.
void cpuset_writes(const spec::Resources& resources, std::vector<CgroupWrite>& out);
void pids_writes(const spec::Resources& resources, std::vector<CgroupWrite>& out);
void rdma_writes(const spec::Resources& resources, std::vector<CgroupWrite>& out);

// The devices rules the cgroup gets: the configured ones, then an allow for every
// linux.devices entry and runc's default set (null, zero, full, tty, random, urandom, pts,
// ptmx, console, tun, mknod of anything). Empty when nothing restricts devices.
std::vector<spec::DeviceCgroupRule> effective_device_rules(const spec::Linux& linux);

// "8:0": a device as the blkio (v1) and io (v2) files name it.
std::string major_minor(int64_t major, int64_t minor);

// "c 1:3 rwm" as devices.allow / devices.deny take it.
std::string device_rule_text(const spec::DeviceCgroupRule& rule);

// Where each controller lives for one container.
struct CgroupLayout {
  CgroupPaths paths;                     // from resolve_cgroup_paths / the state
  std::set<std::string> v2_controllers;  // usable in paths[kUnifiedKey]
  // Where a missing controller is missing, for the error: the host, or a delegated subtree.
  std::string scope = "on this host";
};

struct DirWrite {
  std::string dir;
  CgroupWrite write;
};

// Every write the resources need, in order; "cgroup controller "X" is not available on this
// host (needed by linux.resources.Y)" when a controller asked for is in no hierarchy (the
// layout's scope in place of "on this host").
// Devices on cgroup2 are not file writes: see needs_v2_device_program.
sys::Result<std::vector<DirWrite>> plan_resource_writes(const CgroupLayout& layout,
                                                        const spec::Resources& resources);

// True when device rules must be enforced by an eBPF program (cgroup2 without v1 devices).
bool needs_v2_device_program(const CgroupLayout& layout, const spec::Resources& resources);

// Performs the writes; errors name the file ("cgroup: write /sys/fs/cgroup/memory/x/...").
sys::Status apply_writes(const std::vector<DirWrite>& writes);

}  // namespace minirun::runtime
