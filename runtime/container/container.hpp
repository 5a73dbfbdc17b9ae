// Container lifecycle operations the CLI dispatches to, with runc's semantics and words.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/cgroups/manager.hpp"
#include "runtime/container/handle.hpp"
#include "runtime/sys/error.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

struct CreateOptions {
  std::string id;
  std::string bundle;
  std::string root;            // state root, e.g. /run/minirun
  std::string pid_file;        // empty: none
  std::string console_socket;  // empty: none
  bool no_pivot = false;
  int preserve_fds = 0;               // fds 3 .. 3+N-1 reach the container process
  bool no_new_keyring = false;        // keep the caller's session keyring
  CgroupManagerFlags cgroup_manager;  // anything but the default is refused
};

struct RunOptions : CreateOptions {
  bool detach = false;
};

// create + start; in the foreground also waits and deletes. Returns the container's exit
// code (0 when detached).
sys::Result<int> run_container(const RunOptions& options);

// Returns once init is ready and waiting for `start` (or has failed and is gone).
sys::Status create_container(const CreateOptions& options);

// start, kill and delete change the container: the caller opens it with Access::change.
sys::Status start_container(Container& container);

// The containers of root in ID order with their live status and owner. Each state is handed
// to `visit` and dropped: `list` over a thousand containers holds one at a time. A root that
// does not exist has none; one that cannot be read is an error.
sys::Status for_each_container(const std::string& root,
                               const std::function<void(const spec::State&)>& visit);

sys::Status kill_container(const Container& container, int signal, bool all);

// Takes the directory, not an opened container: a state directory without a readable
// state.json (a creation cut short before writing it) is deleted too, and --force makes a
// missing one success.
sys::Status delete_container(const ContainerDir& dir, bool force);

}  // namespace minirun::runtime
