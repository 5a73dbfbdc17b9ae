// The cgroupfs driver: minirun's own cgroup code (v1, v2 and hybrid hosts, every cgroup error
// fatal, as runc's cgroupfs manager) behind the CgroupDriver interface. The delegated driver
// (delegated_driver.hpp) is this one with another plan: it places and checks differently, and
// every later verb is the same file work.
#pragma once

#include "runtime/cgroups/driver.hpp"

namespace minirun::runtime {

// Each verb is the free function of the same concern (cgroups, freezer, stats, oom), which the
// unit tests also reach directly.
class CgroupfsDriver : public CgroupDriver {
 public:
  const char* name() const override;
  sys::Result<CgroupPlan> plan(const spec::Config& config, const std::string& id) const override;
  sys::Status create(const CgroupPlan& plan) const override;
  // cgroup2 is the only hierarchy clone3 can place a process in.
  sys::Fd clone_target(const CgroupPlan& plan) const override;
  sys::Status join_init(const CgroupPlan& plan, pid_t pid, bool in_clone_target) const override;
  sys::Status join(const CgroupPaths& paths, pid_t pid) const override;
  sys::Status update(const CgroupPaths& paths, const spec::Resources& resources) const override;
  sys::Status freeze(const CgroupPaths& paths) const override;
  sys::Status thaw(const CgroupPaths& paths) const override;
  bool frozen(const CgroupPaths& paths) const override;
  sys::Result<std::vector<pid_t>> pids(const CgroupPaths& paths) const override;
  sys::Status signal_all(const CgroupPaths& paths, int sig) const override;
  sys::Status signal_all_unfinished(const CgroupPaths& paths, int sig) const override;
  spec::CgroupStats stats(const CgroupPaths& paths) const override;
  sys::Result<std::unique_ptr<OomEvents>> oom_events(const CgroupPaths& paths) const override;
  sys::Status destroy(const CgroupPaths& paths) const override;
  bool destroy_if_empty(const CgroupPaths& paths) const override;
};

const CgroupDriver& cgroupfs_driver();

}  // namespace minirun::runtime
