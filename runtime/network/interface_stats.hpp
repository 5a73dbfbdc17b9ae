// The counters of a container's own interfaces, for `events`: /proc/PID/net/dev shows the
// network namespace of PID, so init's file is the container's view without entering it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>
#include <vector>

#include "spec/cgroup_stats.hpp"

namespace minirun::runtime {

// The interfaces of init's network namespace; nullopt when init shares the runtime's (the
// host's counters are not the container's) or its files cannot be read (init is gone).
std::optional<std::vector<spec::NetworkInterfaceStats>> read_interface_stats(pid_t init_pid);

// Pure: /proc/net/dev's text, two header lines then "  name: 16 counters".
std::vector<spec::NetworkInterfaceStats> parse_proc_net_dev(std::string_view text);

}  // namespace minirun::runtime
