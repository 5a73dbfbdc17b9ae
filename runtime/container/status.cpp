#include "runtime/container/status.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/cgroups/driver.hpp"
#include "runtime/container/state_store.hpp"
#include "runtime/sys/fd.hpp"
#include "runtime/sys/proc_stat.hpp"

namespace minirun::runtime {

using spec::ContainerStatus;

bool init_alive(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  auto stat = read_proc_stat(pid);
  if (!stat || stat->state == 'Z' || stat->state == 'X') return false;
  return start_time == 0 || stat->start_time == start_time;
}

void refresh_status(spec::State& state, const std::string& state_dir) {
  if (state.status == ContainerStatus::creating) {
    // Init's pid is not kept until init is ready; its creator tells whether it is coming.
    if (!init_alive(state.creator_pid, state.creator_start_time))
      state.status = ContainerStatus::stopped;
    state.pid = 0;
    return;
  }
  if (!init_alive(state.pid, state.init_start_time)) {
    state.status = ContainerStatus::stopped;
    state.pid = 0;
    return;
  }
  struct stat st {};
  state.status = stat((state_dir + "/" + kExecFifo).c_str(), &st) == 0 ? ContainerStatus::created
                                                                       : ContainerStatus::running;
  if (cgroup_driver_of(state).frozen(state.cgroup_paths)) state.status = ContainerStatus::paused;
}

sys::Error being_created(const std::string& id) {
  return sys::Error::plain("", "container \"" + id + "\" is still being created");
}

bool wait_for_exit(pid_t pid, int timeout_ms) {
  sys::Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) return errno == ESRCH;
  struct pollfd p {
    pidfd.get(), POLLIN, 0
  };
  return poll(&p, 1, timeout_ms) > 0;
}

}  // namespace minirun::runtime
