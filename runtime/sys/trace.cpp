#include "runtime/sys/trace.hpp"

#include <time.h>
#include <unistd.h>

#include "runtime/sys/clock.hpp"
#include "spec/quote.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

namespace {
int trace_fd = -1;
bool trace_json = false;
}  // namespace

void enable_trace(int fd, bool json) {
  trace_fd = fd;
  trace_json = json;
}

bool trace_enabled() {
  return trace_fd >= 0;
}

long monotonic_micros() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

void trace_line(std::string_view step, std::string_view detail, long micros) {
  if (trace_fd < 0) return;
  std::string line;
  if (trace_json) {
    line = spec::json_trace_line(std::string(step), std::string(detail), micros, getpid(),
                                 rfc3339_now());
  } else {
    std::string what(step);
    if (!detail.empty()) what += " " + std::string(detail);
    // The detail can come from config.json (a path, args[0]): one line whatever it holds.
    line = "debug: [" + std::to_string(getpid()) + "] " + spec::one_line(what) + " (" +
           std::to_string(micros) + " us)";
  }
  line += "\n";
  // One write per line: the parent and init share the fd and must not interleave.
  (void)!write(trace_fd, line.data(), line.size());
}

}  // namespace minirun::runtime
