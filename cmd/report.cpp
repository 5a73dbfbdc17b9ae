#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "cmd/globals.hpp"
#include "runtime/state_store.hpp"
#include "runtime/trace.hpp"
#include "spec/state.hpp"

namespace minirun::cmd {

void enable_debug_trace(const GlobalOptions& globals) {
  if (!globals.debug) return;
  int fd = STDERR_FILENO;
  if (!globals.log.empty()) {
    // Kept open for the process's life: init inherits it until its exec (O_CLOEXEC).
    fd = open(globals.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fd = STDERR_FILENO;
  }
  runtime::enable_trace(fd, globals.log_format == "json");
}

int report_error(const GlobalOptions& globals, const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  if (!globals.log.empty()) {
    // One write per line: other runtime calls may append to the same log.
    std::string entry = globals.log_format == "json"
                            ? spec::json_log_line("error", line, runtime::rfc3339_now())
                            : runtime::rfc3339_now() + " error: " + line;
    entry += '\n';
    int fd = open(globals.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
      if (write(fd, entry.data(), entry.size()) < 0) {
        // Best effort: the line is on stderr already.
      }
      close(fd);
    }
  }
  return 1;
}

int report_error(const GlobalOptions& globals, const sys::Error& error) {
  return report_error(globals, error.describe());
}

}  // namespace minirun::cmd
