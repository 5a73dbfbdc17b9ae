// The --debug step trace: each step of a container's start with its duration in microseconds,
// written by whichever process runs the step (parent or init) straight to the log fd.
// When tracing is off a traced step costs one branch: no clock reads, no formatting.
#pragma once

#include <string>
#include <string_view>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// Turns tracing on; fd stays owned by the caller and must outlive the traced operation.
void enable_trace(int fd, bool json);
bool trace_enabled();

// One trace line for a step that took `micros`.
void trace_line(std::string_view step, std::string_view detail, long micros);

long monotonic_micros();

// Runs f() and, when tracing, logs its duration as `step` (detail says which object).
template <class F>
auto traced(std::string_view step, std::string_view detail, F&& f) -> decltype(f()) {
  if (!trace_enabled()) return f();
  long start = monotonic_micros();
  auto result = f();
  trace_line(step, result ? detail : std::string(detail) + " (failed)", monotonic_micros() - start);
  return result;
}

}  // namespace minirun::runtime
