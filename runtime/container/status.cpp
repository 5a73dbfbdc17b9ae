#include "runtime/container/status.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <stdexcept>

#include "runtime/cgroups/freezer.hpp"
#include "runtime/container/state_store.hpp"
#include "runtime/sys/fd.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/proc_stat.hpp"
#include "spec/quote.hpp"
#include "spec/validate.hpp"

namespace minirun::runtime {

std::string state_dir_path(const std::string& root, const std::string& id) {
  return root + "/" + id;
}

sys::Result<spec::State> load_container(const std::string& root, const std::string& id) {
  if (!spec::is_valid_container_id(id))
    return sys::Error::plain("", "invalid container ID format: " + spec::go_quote(id));
  std::string dir = state_dir_path(root, id);
  auto text = sys::read_file(dir + "/state.json", "state");
  if (!text) {
    if (text.error().errnum == ENOENT)
      return sys::Error::plain("", "container " + spec::go_quote(id) + " does not exist");
    return text.error();
  }
  try {
    spec::State state = spec::state_from_stored_json(*text);
    refresh_status(state, dir);
    return state;
  } catch (const std::exception& e) {
    return sys::Error::plain("state", e.what());
  }
}

bool init_alive(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  auto stat = read_proc_stat(pid);
  if (!stat || stat->state == 'Z' || stat->state == 'X') return false;
  return start_time == 0 || stat->start_time == start_time;
}

void refresh_status(spec::State& state, const std::string& state_dir) {
  if (state.status == "creating") {
    // Init's pid is not kept until init is ready; its creator tells whether it is coming.
    if (!init_alive(state.creator_pid, state.creator_start_time)) state.status = "stopped";
    state.pid = 0;
    return;
  }
  if (!init_alive(state.pid, state.init_start_time)) {
    state.status = "stopped";
    state.pid = 0;
    return;
  }
  struct stat st {};
  state.status = stat((state_dir + "/" + kExecFifo).c_str(), &st) == 0 ? "created" : "running";
  if (cgroup_frozen(state.cgroup_paths)) state.status = "paused";
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
