#include <sys/stat.h>

#include "cmd/commands.hpp"
#include "runtime/sys/file.hpp"
#include "spec/default_spec.hpp"

namespace minirun::cmd {

int spec_command(const Invocation& in) {
  std::string bundle = ".";
  auto cmd = in.parser();
  cmd.option("-b,--bundle", bundle, "directory to write config.json into");
  if (auto exit = in.parse(cmd)) return *exit;

  std::string path = bundle + "/config.json";
  struct stat st {};
  if (stat(path.c_str(), &st) == 0)
    return report_error(in.globals, "File " + path + " exists. Remove it first");
  auto written = sys::write_file_atomic(path, spec::default_spec_json() + "\n", "spec");
  return written ? 0 : report_error(in.globals, written.error());
}

}  // namespace minirun::cmd
