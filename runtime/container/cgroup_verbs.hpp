// The cgroup verbs on a stored container: pause, resume, update, ps, events. Each loads the
// state, checks the status as runc does, and works on State::cgroup_paths.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/cgroup_stats.hpp"
#include "spec/config.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

sys::Status pause_container(const std::string& root, const std::string& id);
sys::Status resume_container(const std::string& root, const std::string& id);
// Writes what `resources` asks (a CPU quota or period alone goes with the other in force, as
// runc does), then keeps the resources now in force in state.json (State::resources), under
// the container's state lock. A failed write keeps state.json as it was.
sys::Status update_container(const std::string& root, const std::string& id,
                             const spec::Resources& resources);
sys::Result<std::vector<pid_t>> container_pids(const std::string& root, const std::string& id);
sys::Result<spec::CgroupStats> container_stats(const std::string& root, const std::string& id);

// `events` without --stats: a stats line every interval and an oom line when one happens,
// until the container stops. emit gets each JSON line.
sys::Status stream_events(const std::string& root, const std::string& id, int interval_ms,
                          const std::function<void(const std::string&)>& emit);

}  // namespace minirun::runtime
