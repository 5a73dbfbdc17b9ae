#include <sys/stat.h>
#include <unistd.h>

#include "cmd/commands.hpp"
#include "runtime/sys/file.hpp"
#include "spec/default_spec.hpp"

namespace minirun::cmd {

int spec_command(const Invocation& in) {
  std::string bundle = ".";
  bool rootless = false;
  auto cmd = in.parser();
  cmd.option("-b,--bundle", bundle, "directory to write config.json into");
  cmd.flag("--rootless", rootless,
           "a config for a rootless container: a user namespace mapping root to the caller's "
           "uid and gid, no resources; unlike runc's it keeps its own network namespace");
  if (auto exit = in.parse(cmd)) return *exit;

  std::string path = bundle + "/config.json";
  struct stat st {};
  if (stat(path.c_str(), &st) == 0)
    return report_error(in.globals, "File " + path + " exists. Remove it first");
  const std::string config =
      rootless ? spec::rootless_spec_json(getuid(), getgid()) : spec::default_spec_json();
  auto written = sys::write_file_atomic(path, config + "\n", "spec");
  return written ? 0 : report_error(in.globals, written.error());
}

}  // namespace minirun::cmd
