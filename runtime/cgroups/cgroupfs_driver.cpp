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

}  // namespace

const char* CgroupfsDriver::name() const {
  return "cgroupfs";
}

sys::Result<CgroupPlan> CgroupfsDriver::plan(const spec::Config& config,
                                             const std::string& id) const {
  return plan_cgroups(config, id);
}

sys::Status CgroupfsDriver::create(const CgroupPlan& plan) const {
  return create_cgroups(plan);
}

sys::Fd CgroupfsDriver::clone_target(const CgroupPlan& plan) const {
  sys::Fd dir;
  if (auto unified = plan.paths.find(kUnifiedKey); unified != plan.paths.end())
    dir.reset(open(unified->second.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return dir;
}

sys::Status CgroupfsDriver::join_init(const CgroupPlan& plan, pid_t pid,
                                      bool in_clone_target) const {
  return join_cgroups(in_clone_target ? without_unified(plan.paths) : plan.paths, pid);
}

sys::Status CgroupfsDriver::join(const CgroupPaths& paths, pid_t pid) const {
  return join_cgroups(paths, pid);
}

sys::Status CgroupfsDriver::update(const CgroupPaths& paths,
                                   const spec::Resources& resources) const {
  return update_resources(paths, resources);
}

sys::Status CgroupfsDriver::freeze(const CgroupPaths& paths) const {
  return freeze_cgroup(paths);
}

sys::Status CgroupfsDriver::thaw(const CgroupPaths& paths) const {
  return thaw_cgroup(paths);
}

bool CgroupfsDriver::frozen(const CgroupPaths& paths) const {
  return cgroup_frozen(paths);
}

sys::Result<std::vector<pid_t>> CgroupfsDriver::pids(const CgroupPaths& paths) const {
  return cgroup_pids(paths);
}

sys::Status CgroupfsDriver::signal_all(const CgroupPaths& paths, int sig) const {
  return runtime::signal_all(paths, sig);
}

sys::Status CgroupfsDriver::signal_all_unfinished(const CgroupPaths& paths, int sig) const {
  return signal_all_in_every_hierarchy(paths, sig);
}

spec::CgroupStats CgroupfsDriver::stats(const CgroupPaths& paths) const {
  return read_cgroup_stats(paths);
}

sys::Result<std::unique_ptr<OomEvents>> CgroupfsDriver::oom_events(const CgroupPaths& paths) const {
  auto watcher = OomWatcher::open(paths);
  if (!watcher) return watcher.error();
  return std::unique_ptr<OomEvents>(std::make_unique<CgroupfsOomEvents>(std::move(*watcher)));
}

sys::Status CgroupfsDriver::destroy(const CgroupPaths& paths) const {
  return remove_cgroups(paths);
}

bool CgroupfsDriver::destroy_if_empty(const CgroupPaths& paths) const {
  return remove_empty_cgroups(paths);
}

const CgroupDriver& cgroupfs_driver() {
  static const CgroupfsDriver driver;
  return driver;
}

}  // namespace minirun::runtime
