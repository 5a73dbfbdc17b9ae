// Container lifecycle operations the CLI dispatches to.
#pragma once

#include <string>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

struct RunOptions {
  std::string id;
  std::string bundle;
  std::string root;      // state root, e.g. /run/minirun
  std::string pid_file;  // empty: none
  bool detach = false;
  bool no_pivot = false;
};

// create + start; in the foreground also waits and deletes. Returns the container's exit
// code (0 when detached).
sys::Result<int> run_container(const RunOptions& options);

}  // namespace minirun::runtime
