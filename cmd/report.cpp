#include <cstdio>
#include <fstream>

#include "cmd/globals.hpp"
#include "runtime/state_store.hpp"
#include "spec/state.hpp"

namespace minirun::cmd {

int report_error(const GlobalOptions& globals, const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  if (!globals.log.empty()) {
    std::ofstream log(globals.log, std::ios::app);
    if (globals.log_format == "json")
      log << spec::json_log_line("error", line, runtime::rfc3339_now()) << "\n";
    else
      log << runtime::rfc3339_now() << " error: " << line << "\n";
  }
  return 1;
}

int report_error(const GlobalOptions& globals, const sys::Error& error) {
  return report_error(globals, error.describe());
}

}  // namespace minirun::cmd
