// A container's status, as a type: the five words of the runtime spec (state.md "status",
// runc's and minirun's `state` print them) and the lifecycle they name.
#pragma once

#include <optional>
#include <string_view>

namespace minirun::spec {

enum class ContainerStatus {
  creating,  // create is making it; state.json names what it owns before it exists
  created,   // init waits on exec.fifo for `start`
  running,
  paused,  // its cgroup is frozen
  stopped,
};

// runc's word: "creating", "created", "running", "paused", "stopped".
std::string_view to_string(ContainerStatus status);

// nullopt for anything but those five words.
std::optional<ContainerStatus> container_status_from(std::string_view word);

}  // namespace minirun::spec
