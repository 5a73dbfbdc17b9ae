// The cgroup verbs on a stored container: pause, resume, update, ps, events. Each checks the
// opened container's status as runc does and works on State::cgroup_paths. pause, resume and
// update change the container: the caller opens it with Access::change.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/container/handle.hpp"
#include "runtime/sys/error.hpp"
#include "spec/cgroup_stats.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

sys::Status pause_container(const Container& container);
sys::Status resume_container(const Container& container);
// Writes what `resources` asks (a CPU quota or period alone goes with the other in force, as
// runc does), then keeps the resources now in force in state.json (State::resources). A
// failed write keeps state.json as it was.
sys::Status update_container(Container& container, const spec::Resources& resources);
sys::Result<std::vector<pid_t>> container_pids(const Container& container);
sys::Result<spec::CgroupStats> container_stats(const Container& container);

// `events` without --stats: a stats line every interval and an oom line when one happens,
// until the container stops. emit gets each JSON line.
sys::Status stream_events(Container& container, int interval_ms,
                          const std::function<void(const std::string&)>& emit);

}  // namespace minirun::runtime
