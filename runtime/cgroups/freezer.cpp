#include "runtime/cgroups/freezer.hpp"

#include <unistd.h>

#include "runtime/sys/file.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "freezer";

sys::Error no_freezer() {
  return sys::Error::plain(kStep, "cgroup controller \"freezer\" is not available on this host");
}

bool v2_events_frozen(const std::string& dir) {
  auto events = sys::read_file(dir + "/cgroup.events", kStep);
  return events && events->find("frozen 1") != std::string::npos;
}

sys::Status set_state(const CgroupPaths& paths, bool frozen) {
  if (auto v1 = paths.find("freezer"); v1 != paths.end()) {
    std::string file = v1->second + "/freezer.state";
    const char* want = frozen ? "FROZEN" : "THAWED";
    // FREEZING may linger while tasks finish a syscall: write again until the state sticks.
    for (int attempt = 0; attempt < 1000; ++attempt) {
      if (attempt % 10 == 0) MR_TRY(sys::write_file(file, want, kStep));
      auto state = sys::read_file(file, kStep);
      if (!state) return state.error();
      if (state->rfind(want, 0) == 0) return {};
      usleep(1000);
    }
    if (frozen) (void)sys::write_file(file, "THAWED", kStep);
    return sys::Error::plain(kStep, "timed out waiting for " + file + " to read " + want);
  }
  if (auto v2 = paths.find(kUnifiedKey); v2 != paths.end()) {
    MR_TRY(sys::write_file(v2->second + "/cgroup.freeze", frozen ? "1" : "0", kStep));
    for (int attempt = 0; attempt < 1000; ++attempt) {
      if (v2_events_frozen(v2->second) == frozen) return {};
      usleep(1000);
    }
    if (frozen) (void)sys::write_file(v2->second + "/cgroup.freeze", "0", kStep);
    return sys::Error::plain(kStep, "timed out waiting for " + v2->second + " to freeze");
  }
  return no_freezer();
}

}  // namespace

sys::Status freeze_cgroup(const CgroupPaths& paths) {
  return set_state(paths, true);
}

sys::Status thaw_cgroup(const CgroupPaths& paths) {
  return set_state(paths, false);
}

bool cgroup_frozen(const CgroupPaths& paths) {
  if (auto v1 = paths.find("freezer"); v1 != paths.end()) {
    auto state = sys::read_file(v1->second + "/freezer.state", kStep);
    return state && state->rfind("FROZEN", 0) == 0;
  }
  if (auto v2 = paths.find(kUnifiedKey); v2 != paths.end()) {
    auto freeze = sys::read_file(v2->second + "/cgroup.freeze", kStep);
    return freeze && freeze->rfind("1", 0) == 0;
  }
  return false;
}

}  // namespace minirun::runtime
