// /proc/PID/stat, read for what identifies a process across pid reuse and tells a zombie.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace minirun::runtime {

struct ProcStat {
  char state = '?';         // R, S, D, Z, ...
  uint64_t start_time = 0;  // field 22: with the pid, identifies a process across pid reuse
};

// nullopt when the process does not exist.
std::optional<ProcStat> read_proc_stat(pid_t pid);
uint64_t process_start_time(pid_t pid);

}  // namespace minirun::runtime
