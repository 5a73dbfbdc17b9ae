#include "runtime/cgroups/cgroupfs_driver.hpp"

#include <fcntl.h>

#include "runtime/cgroups/freezer.hpp"
#include "runtime/cgroups/oom.hpp"
#include "runtime/cgroups/stats.hpp"

namespace minirun::runtime {

namespace {

class CgroupfsOomEvents final : public OomEvents {
 public:
  explicit CgroupfsOomEvents(OomWatcher watcher) : watcher_(std::move(watcher)) {}
  sys::Result<bool> wait(int timeout_ms) override { return watcher_.wait(timeout_ms); }

 private:
  OomWatcher watcher_;
};

// Each verb is the free function of the same concern (cgroups, freezer, stats, oom), which the
// unit tests also reach directly.
class CgroupfsDriver final : public CgroupDriver {
 public:
  const char* name() const override { return "cgroupfs"; }

  sys::Result<CgroupPlan> plan(const spec::Config& config, const std::string& id) const override {
    return plan_cgroups(config, id);
  }

  sys::Status create(const CgroupPlan& plan) const override { return create_cgroups(plan); }

  // cgroup2 is the only hierarchy clone3 can place a process in.
  sys::Fd clone_target(const CgroupPlan& plan) const override {
    sys::Fd dir;
    if (auto unified = plan.paths.find(kUnifiedKey); unified != plan.paths.end())
      dir.reset(open(unified->second.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return dir;
  }

  sys::Status join_init(const CgroupPlan& plan, pid_t pid, bool in_clone_target) const override {
    return join_cgroups(in_clone_target ? without_unified(plan.paths) : plan.paths, pid);
  }

  sys::Status join(const CgroupPaths& paths, pid_t pid) const override {
    return join_cgroups(paths, pid);
  }

  sys::Status update(const CgroupPaths& paths, const spec::Resources& resources) const override {
    return update_resources(paths, resources);
  }

  sys::Status freeze(const CgroupPaths& paths) const override { return freeze_cgroup(paths); }
  sys::Status thaw(const CgroupPaths& paths) const override { return thaw_cgroup(paths); }
  bool frozen(const CgroupPaths& paths) const override { return cgroup_frozen(paths); }

  sys::Result<std::vector<pid_t>> pids(const CgroupPaths& paths) const override {
    return cgroup_pids(paths);
  }

  sys::Status signal_all(const CgroupPaths& paths, int sig) const override {
    return runtime::signal_all(paths, sig);
  }
  sys::Status signal_all_unfinished(const CgroupPaths& paths, int sig) const override {
    return signal_all_in_every_hierarchy(paths, sig);
  }

  spec::CgroupStats stats(const CgroupPaths& paths) const override {
    return read_cgroup_stats(paths);
  }

  sys::Result<std::unique_ptr<OomEvents>> oom_events(const CgroupPaths& paths) const override {
    auto watcher = OomWatcher::open(paths);
    if (!watcher) return watcher.error();
    return std::unique_ptr<OomEvents>(std::make_unique<CgroupfsOomEvents>(std::move(*watcher)));
  }

  sys::Status destroy(const CgroupPaths& paths) const override { return remove_cgroups(paths); }
  bool destroy_if_empty(const CgroupPaths& paths) const override {
    return remove_empty_cgroups(paths);
  }
};

}  // namespace

const CgroupDriver& cgroupfs_driver() {
  static const CgroupfsDriver driver;
  return driver;
}

}  // namespace minirun::runtime
