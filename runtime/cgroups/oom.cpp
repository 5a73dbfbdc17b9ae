#include "runtime/cgroups/oom.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "runtime/cgroups/stats.hpp"
#include "runtime/sys/file.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "events";

// memory.events (v2) and memory.oom_control (v1) both count kills as "oom_kill N".
uint64_t oom_kill_count(const std::string& file) {
  auto text = sys::read_file(file, kStep);
  if (!text) return 0;
  return parse_flat_keyed(*text)["oom_kill"];
}

// v1: the eventfd also fires when the cgroup goes away; only a kill or a task stuck in OOM
// (OOM killer disabled) is an event. The kernel signals before the OOM killer runs, so the
// kill count may lag the notification: give it a moment to catch up.
bool v1_oom_happened(const std::string& oom_control, uint64_t& kills) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto text = sys::read_file(oom_control, kStep);
    if (!text) return false;  // the cgroup is gone
    auto fields = parse_flat_keyed(*text);
    bool more = fields["oom_kill"] > kills;
    kills = fields["oom_kill"];
    if (more || fields["under_oom"] == 1) return true;
    poll(nullptr, 0, 5);
  }
  return false;
}

}  // namespace

sys::Result<OomWatcher> OomWatcher::open(const CgroupPaths& paths) {
  OomWatcher w;
  if (auto v1 = paths.find("memory"); v1 != paths.end()) {
    w.fd_.reset(eventfd(0, EFD_CLOEXEC));
    if (!w.fd_) return sys::Error::from_errno(kStep, "eventfd");
    std::string control = v1->second + "/memory.oom_control";
    w.events_file = control;
    w.oom_kills_ = oom_kill_count(control);
    w.oom_control_.reset(::open(control.c_str(), O_RDONLY | O_CLOEXEC));
    if (!w.oom_control_) return sys::Error::from_errno(kStep, "open " + control);
    MR_TRY(sys::write_file(v1->second + "/cgroup.event_control",
                           std::to_string(w.fd_.get()) + " " + std::to_string(w.oom_control_.get()),
                           kStep));
    return w;
  }
  if (auto v2 = paths.find(kUnifiedKey); v2 != paths.end()) {
    std::string file = v2->second + "/memory.events";
    if (access(file.c_str(), F_OK) != 0) return w;  // memory not enabled there
    w.v2_ = true;
    w.events_file = file;
    w.oom_kills_ = oom_kill_count(file);
    w.fd_.reset(inotify_init1(IN_CLOEXEC));
    if (!w.fd_) return sys::Error::from_errno(kStep, "inotify_init1");
    if (inotify_add_watch(w.fd_.get(), file.c_str(), IN_MODIFY) < 0)
      return sys::Error::from_errno(kStep, "inotify_add_watch " + file);
  }
  return w;
}

sys::Result<bool> OomWatcher::wait(int timeout_ms) {
  if (!fd_) {
    poll(nullptr, 0, timeout_ms);
    return false;
  }
  struct pollfd p {
    fd_.get(), POLLIN, 0
  };
  int n = poll(&p, 1, timeout_ms);
  if (n < 0)
    return errno == EINTR ? sys::Result<bool>(false) : sys::Error::from_errno(kStep, "poll");
  if (n == 0) return false;
  char buf[4096];
  ssize_t got = read(fd_.get(), buf, sizeof buf);
  if (got < 0) return sys::Error::from_errno(kStep, "read oom notification");
  if (!v2_) return v1_oom_happened(events_file, oom_kills_);
  uint64_t now = oom_kill_count(events_file);
  bool fired = now > oom_kills_;
  oom_kills_ = now;
  return fired;
}

}  // namespace minirun::runtime
