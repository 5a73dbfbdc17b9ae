#include "runtime/container/cgroup_verbs.hpp"

#include <algorithm>
#include <chrono>

#include "runtime/cgroups/cgroups.hpp"
#include "runtime/cgroups/freezer.hpp"
#include "runtime/cgroups/oom.hpp"
#include "runtime/cgroups/stats.hpp"
#include "runtime/container/state_store.hpp"
#include "runtime/container/status.hpp"
#include "spec/parse.hpp"
#include "spec/resources.hpp"
#include "spec/validate.hpp"

namespace minirun::runtime {

using spec::ContainerStatus;

namespace {

sys::Error not_running() {
  return sys::Error::plain("", "container not running");
}

// A live container with cgroups, else runc's error.
sys::Result<spec::State> live_container(const std::string& root, const std::string& id) {
  auto state = load_container(root, id);
  if (!state) return state.error();
  if (state->status == ContainerStatus::stopped) return not_running();
  if (state->status == ContainerStatus::creating) return being_created(id);
  if (state->cgroup_paths.empty())
    return sys::Error::plain("cgroup", "container " + id + " has no cgroup recorded");
  return state;
}

}  // namespace

sys::Status pause_container(const std::string& root, const std::string& id) {
  auto state = live_container(root, id);
  if (!state) return state.error();
  if (state->status == ContainerStatus::paused) return sys::Error::plain("", "container paused");
  return freeze_cgroup(state->cgroup_paths);
}

sys::Status resume_container(const std::string& root, const std::string& id) {
  auto state = live_container(root, id);
  if (!state) return state.error();
  if (state->status != ContainerStatus::paused)
    return sys::Error::plain("", "container not paused");
  return thaw_cgroup(state->cgroup_paths);
}

sys::Status update_container(const std::string& root, const std::string& id,
                             const spec::Resources& resources) {
  const std::string dir = state_dir_path(root, id);
  StateLock lock(spec::is_valid_container_id(id) ? dir : "");
  auto state = live_container(root, id);
  if (!state) return state.error();
  spec::Resources in_force;
  try {
    in_force = spec::resources_in_force(*state);
  } catch (const spec::ConfigError& e) {
    return sys::Error::plain("state", "damaged state.json: config: " + std::string(e.what()));
  }
  MR_TRY(update_resources(state->cgroup_paths, spec::with_cpu_bandwidth_pair(resources, in_force)));
  // Kept for the next update and whatever else reads them (spec/resources.hpp).
  state->resources = spec::merge_resources(in_force, resources);
  return write_state(dir, *state);
}

sys::Result<std::vector<pid_t>> container_pids(const std::string& root, const std::string& id) {
  auto state = live_container(root, id);
  if (!state) return state.error();
  return cgroup_pids(state->cgroup_paths);
}

sys::Result<spec::CgroupStats> container_stats(const std::string& root, const std::string& id) {
  auto state = live_container(root, id);
  if (!state) return state.error();
  return read_cgroup_stats(state->cgroup_paths);
}

sys::Status stream_events(const std::string& root, const std::string& id, int interval_ms,
                          const std::function<void(const std::string&)>& emit) {
  auto state = live_container(root, id);
  if (!state) return state.error();
  auto oom = OomWatcher::open(state->cgroup_paths);
  if (!oom) return oom.error();
  using Clock = std::chrono::steady_clock;
  auto next_stats = Clock::now();
  for (;;) {
    auto now = load_container(root, id);
    if (!now || now->status == ContainerStatus::stopped) return {};
    if (Clock::now() >= next_stats) {
      emit(spec::stats_event_json(id, read_cgroup_stats(state->cgroup_paths)));
      next_stats = Clock::now() + std::chrono::milliseconds(interval_ms);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_stats - Clock::now());
    // Wake at least every second to notice the container stopping.
    auto fired = oom->wait(static_cast<int>(std::clamp<int64_t>(left.count(), 0, 1000)));
    if (!fired) return fired.error();
    if (*fired) emit(spec::oom_event_json(id));
  }
}

}  // namespace minirun::runtime
