#include "runtime/sys/proc_stat.hpp"

#include <cstdlib>

#include "runtime/sys/file.hpp"

namespace minirun::runtime {

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  auto stat = sys::read_file("/proc/" + std::to_string(pid) + "/stat", "state");
  if (!stat) return std::nullopt;
  // The command name may hold spaces and parentheses: count fields after the last ')'.
  auto close = stat->rfind(')');
  if (close == std::string::npos || close + 2 >= stat->size()) return std::nullopt;
  ProcStat out;
  out.state = (*stat)[close + 2];
  int field = 2;
  size_t pos = close + 1;
  while (pos < stat->size() && field < 22) {
    if ((*stat)[pos] == ' ') ++field;
    ++pos;
  }
  out.start_time = std::strtoull(stat->c_str() + pos, nullptr, 10);
  return out;
}

uint64_t process_start_time(pid_t pid) {
  auto stat = read_proc_stat(pid);
  return stat ? stat->start_time : 0;
}

}  // namespace minirun::runtime
