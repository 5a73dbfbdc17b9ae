#include "runtime/container/cgroup_verbs.hpp"

#include <algorithm>
#include <chrono>

#include "runtime/cgroups/driver.hpp"
#include "runtime/container/status.hpp"
#include "runtime/network/interface_stats.hpp"
#include "spec/parse.hpp"
#include "spec/resources.hpp"

namespace minirun::runtime {

using spec::ContainerStatus;

namespace {

sys::Error not_running() {
  return sys::Error::plain("", "container not running");
}

// A live container with cgroups, else runc's error.
sys::Status check_live(const Container& container) {
  if (container.status() == ContainerStatus::stopped) return not_running();
  if (container.status() == ContainerStatus::creating) return being_created(container.id());
  if (container.state().cgroup_paths.empty()) {
    // A rootless container's driver made none on purpose (no_cgroups_driver.hpp).
    if (container.state().cgroup_driver == "none")
      return sys::Error::plain("cgroup",
                               "container " + container.id() +
                                   " has no cgroup (rootless, no delegated cgroup): "
                                   "ps, pause, resume, update and events are unavailable");
    return sys::Error::plain("cgroup", "container " + container.id() + " has no cgroup recorded");
  }
  return {};
}

// The cgroup's counters and those of the container's own interfaces, as runc's stats.
spec::CgroupStats stats_of(const CgroupDriver& cgroups, const CgroupPaths& paths, pid_t init_pid) {
  spec::CgroupStats stats = cgroups.stats(paths);
  stats.network_interfaces = read_interface_stats(init_pid);
  return stats;
}

}  // namespace

sys::Status pause_container(const Container& container) {
  MR_TRY(check_live(container));
  if (container.status() == ContainerStatus::paused)
    return sys::Error::plain("", "container paused");
  return cgroup_driver_of(container.state()).freeze(container.state().cgroup_paths);
}

sys::Status resume_container(const Container& container) {
  MR_TRY(check_live(container));
  if (container.status() != ContainerStatus::paused)
    return sys::Error::plain("", "container not paused");
  return cgroup_driver_of(container.state()).thaw(container.state().cgroup_paths);
}

sys::Status update_container(Container& container, const spec::Resources& resources) {
  MR_TRY(check_live(container));
  spec::State& state = container.state();
  spec::Resources in_force;
  try {
    in_force = spec::resources_in_force(state);
  } catch (const spec::ConfigError& e) {
    return sys::Error::plain("state", "damaged state.json: config: " + std::string(e.what()));
  }
  MR_TRY(cgroup_driver_of(state).update(state.cgroup_paths,
                                        spec::with_cpu_bandwidth_pair(resources, in_force)));
  // Kept for the next update and whatever else reads them (spec/resources.hpp).
  state.resources = spec::merge_resources(in_force, resources);
  return container.save();
}

sys::Result<std::vector<pid_t>> container_pids(const Container& container) {
  MR_TRY(check_live(container));
  return cgroup_driver_of(container.state()).pids(container.state().cgroup_paths);
}

sys::Result<spec::CgroupStats> container_stats(const Container& container) {
  MR_TRY(check_live(container));
  const spec::State& state = container.state();
  return stats_of(cgroup_driver_of(state), state.cgroup_paths, state.pid);
}

sys::Status stream_events(Container& container, int interval_ms,
                          const std::function<void(const std::string&)>& emit) {
  MR_TRY(check_live(container));
  // A copy: reload() below replaces the state each round.
  const auto cgroup_paths = container.state().cgroup_paths;
  const pid_t init_pid = container.state().pid;
  const std::string& id = container.id();
  const CgroupDriver& cgroups = cgroup_driver_of(container.state());
  auto oom = cgroups.oom_events(cgroup_paths);
  if (!oom) return oom.error();
  using Clock = std::chrono::steady_clock;
  auto next_stats = Clock::now();
  for (;;) {
    if (!container.reload() || container.status() == ContainerStatus::stopped) return {};
    if (Clock::now() >= next_stats) {
      emit(spec::stats_event_json(id, stats_of(cgroups, cgroup_paths, init_pid)));
      next_stats = Clock::now() + std::chrono::milliseconds(interval_ms);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_stats - Clock::now());
    // Wake at least every second to notice the container stopping.
    auto fired = (*oom)->wait(static_cast<int>(std::clamp<int64_t>(left.count(), 0, 1000)));
    if (!fired) return fired.error();
    if (*fired) emit(spec::oom_event_json(id));
  }
}

}  // namespace minirun::runtime
