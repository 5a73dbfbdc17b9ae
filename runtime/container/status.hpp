// Telling a stored container's status from the truth: the init pid alive with the same start
// time and not a zombie; exec.fifo present = created. Container::open (handle.hpp) reads it.
#pragma once

#include <string>

#include "runtime/sys/error.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

// True when pid runs and is the process that started at start_time (not a reused pid).
bool init_alive(pid_t pid, uint64_t start_time);

// Sets state.status (creating | created | running | paused | stopped) and zeroes pid when
// stopped. A stored "creating" stays so while its creator runs, else it is "stopped".
void refresh_status(spec::State& state, const std::string& state_dir);

// What the verbs that need a made container (start, exec, kill, pause, ...) answer while it
// is "creating".
sys::Error being_created(const std::string& id);

// Waits up to timeout_ms for pid to exit (pidfd; the process need not be our child).
bool wait_for_exit(pid_t pid, int timeout_ms);

}  // namespace minirun::runtime
