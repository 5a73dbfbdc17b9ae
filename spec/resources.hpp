// linux.resources across `update`s: what is in force after one, and how it is kept in
// state.json. Pure: unit tested.
#pragma once

#include <string>

#include "spec/config.hpp"
#include "spec/state.hpp"

namespace minirun::spec {

// The resources in force once `update` has applied `update` on top of `in_force`. It takes what
// the cgroup writes take: a field the update sets replaces the one in force, except a value
// that writes nothing (0 for the limits, shares, quota, period, realtime values, weights and
// pids.limit; an empty cpus or mems), which keeps it. Per-key lists replace per key (weight and
// throttle devices by major:minor, hugepage limits by page size, network priorities by
// interface, rdma and unified by name); device rules are appended, as they apply on top of the
// ones in force.
Resources merge_resources(const Resources& in_force, const Resources& update);

// What a container's cgroups were last given: state.resources once an update kept them, else
// the linux.resources of the config create ran (state.config); empty when neither says (a
// state.json older than both). Throws ConfigError when the kept config does not parse.
Resources resources_in_force(const State& state);

// runc's update: a CPU quota or period given alone goes with the other one in force, as cgroup
// v2's cpu.max takes them together ("quota period"). Nothing changes when the update gives
// both or neither, or when nothing is in force for the other.
Resources with_cpu_bandwidth_pair(Resources update, const Resources& in_force);

// A LinuxResources JSON object, as config.json and `update --resources` spell it (what
// parse_resources reads back). Unset fields are left out.
std::string resources_to_json(const Resources& resources);

}  // namespace minirun::spec
