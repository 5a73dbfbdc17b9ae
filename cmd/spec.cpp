#include <sys/stat.h>

#include "cmd/commands.hpp"
#include "runtime/sys/file.hpp"
#include "spec/default_spec.hpp"

namespace minirun::cmd {

void add_spec_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  auto bundle = std::make_shared<std::string>(".");
  auto* cmd =
      app.add_subcommand("spec", "write a default config.json (with its own network namespace)");
  cmd->add_option("-b,--bundle", *bundle, "directory to write config.json into");
  cmd->callback([bundle, &globals, &outcome] {
    std::string path = *bundle + "/config.json";
    struct stat st {};
    if (stat(path.c_str(), &st) == 0) {
      outcome.exit_code = report_error(globals, "File " + path + " exists. Remove it first");
      return;
    }
    auto written = sys::write_file_atomic(path, spec::default_spec_json() + "\n", "spec");
    outcome.exit_code = written ? 0 : report_error(globals, written.error());
  });
}

}  // namespace minirun::cmd
