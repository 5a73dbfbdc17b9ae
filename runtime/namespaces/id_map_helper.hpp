// Running newuidmap or newgidmap (shadow-utils' setuid helpers) for a new user namespace: they
// check the lines against /etc/subuid or /etc/subgid themselves and write the map with the
// privilege the caller lacks.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// `helper PID containerID hostID size ...`; a failure carries the helper's own stderr.
sys::Status run_id_map_helper(const std::string& helper, pid_t pid,
                              const std::vector<spec::IdMapping>& maps);

}  // namespace minirun::runtime
