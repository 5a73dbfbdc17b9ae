// OOM notifications for `events`: v1 through memory.oom_control + cgroup.event_control and an
// eventfd, cgroup2 by watching memory.events (inotify) for a growing oom_kill count.
#pragma once

#include "runtime/cgroups/paths.hpp"
#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

class OomWatcher {
 public:
  // A watcher without a memory controller never fires.
  static sys::Result<OomWatcher> open(const CgroupPaths& paths);

  // Waits up to timeout_ms; true when at least one OOM kill happened meanwhile.
  sys::Result<bool> wait(int timeout_ms);

 private:
  sys::Fd fd_;              // eventfd (v1) or inotify (v2)
  sys::Fd oom_control_;     // v1: must stay open while registered
  std::string events_file;  // memory.events (v2) or memory.oom_control (v1)
  uint64_t oom_kills_ = 0;  // last oom_kill count seen
  bool v2_ = false;
};

}  // namespace minirun::runtime
