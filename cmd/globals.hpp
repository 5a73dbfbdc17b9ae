// Global flags every verb sees, and the one way errors leave the binary.
#pragma once

#include <string>

#include "runtime/cgroups/manager.hpp"
#include "runtime/sys/error.hpp"

namespace minirun::cmd {

struct GlobalOptions {
  std::string root;                 // empty until main resolves the default (state_root.hpp)
  std::string log;                  // empty: stderr only
  std::string log_format = "text";  // text | json
  bool debug = false;
  bool systemd_cgroup = false;
  std::string rootless = "auto";  // true | false | auto
  bool is_rootless = false;       // --rootless resolved against the euid (rootless_for)

  // What create, run and check ask of the cgroup manager. The other verbs ignore both flags
  // as runc does (the manager is chosen at create), so engines may pass them on every call.
  runtime::CgroupManagerFlags cgroup_manager() const { return {systemd_cgroup, is_rootless}; }
};

// With --debug: step trace lines go to --log (or stderr) in --log-format. False when --log
// is refused (not a regular file), which it has said on stderr.
bool enable_debug_trace(const GlobalOptions& globals);

// Prints one line to stderr (and to --log in its format); returns exit code 1.
int report_error(const GlobalOptions& globals, const sys::Error& error);
int report_error(const GlobalOptions& globals, const std::string& line);

}  // namespace minirun::cmd
