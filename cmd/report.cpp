#include <unistd.h>

#include <cstdio>
#include <optional>

#include "cmd/globals.hpp"
#include "runtime/sys/clock.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/trace.hpp"
#include "spec/quote.hpp"
#include "spec/state.hpp"

namespace minirun::cmd {

namespace {

// A refused --log (a symlink, a FIFO, a device) says so on stderr, in one line.
std::optional<sys::Fd> open_log(const GlobalOptions& globals) {
  auto fd = sys::open_append(globals.log, "--log");
  if (fd) return std::move(*fd);
  std::fprintf(stderr, "%s\n", spec::one_line(fd.error().describe()).c_str());
  return std::nullopt;
}

}  // namespace

bool enable_debug_trace(const GlobalOptions& globals) {
  if (!globals.debug) return true;
  int fd = STDERR_FILENO;
  if (!globals.log.empty()) {
    auto log = open_log(globals);
    if (!log) return false;
    // Kept open for the process's life: init inherits it until its exec (O_CLOEXEC).
    fd = log->release();
  }
  runtime::enable_trace(fd, globals.log_format == "json");
  return true;
}

int report_error(const GlobalOptions& globals, const std::string& message) {
  // Always one line: the message may hold an ID or a path from a hostile bundle or command
  // line, with a newline or a terminal escape in it.
  const std::string line = spec::one_line(message);
  std::fprintf(stderr, "%s\n", line.c_str());
  if (!globals.log.empty()) {
    // One write per line: other runtime calls may append to the same log. JSON escapes the
    // message itself.
    std::string entry = globals.log_format == "json"
                            ? spec::json_log_line("error", message, runtime::rfc3339_now())
                            : runtime::rfc3339_now() + " error: " + line;
    entry += '\n';
    if (auto fd = open_log(globals)) {
      if (write(fd->get(), entry.data(), entry.size()) < 0) {
        // Best effort: the line is on stderr already.
      }
    }
  }
  return 1;
}

int report_error(const GlobalOptions& globals, const sys::Error& error) {
  return report_error(globals, error.describe());
}

}  // namespace minirun::cmd
