// minirun: a small, fast OCI runtime with runc's command line.
#include <CLI/CLI.hpp>

#include "cmd/commands.hpp"
#include "cmd/globals.hpp"

int main(int argc, char** argv) {
  using namespace minirun::cmd;
  GlobalOptions globals;
  Outcome outcome;

  CLI::App app{"minirun: a small, fast OCI container runtime focused on networking", "minirun"};
  app.set_version_flag("-v,--version",
                       std::string("minirun version ") + MINIRUN_VERSION + "\nspec: 1.3.0");
  app.require_subcommand(1);
  app.add_option("--root", globals.root, "root directory for container state")
      ->capture_default_str();
  app.add_option("--log", globals.log, "write errors to this file as well as stderr");
  app.add_option("--log-format", globals.log_format, "log format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_flag("--debug", globals.debug, "log the steps of container start");
  app.add_flag("--systemd-cgroup", globals.systemd_cgroup,
               "accepted for runc compatibility; systemd cgroups are not available here");
  app.add_option("--rootless", globals.rootless,
                 "accepted for runc compatibility: true|false|auto");

  add_run_command(app, globals, outcome);
  add_create_command(app, globals, outcome);
  add_start_command(app, globals, outcome);
  add_state_command(app, globals, outcome);
  add_kill_command(app, globals, outcome);
  add_delete_command(app, globals, outcome);
  add_list_command(app, globals, outcome);
  add_spec_command(app, globals, outcome);
  add_exec_command(app, globals, outcome);
  add_features_command(app, globals, outcome);
  add_check_command(app, globals, outcome);

  // --debug turns the step trace on before the verb's callback runs.
  app.parse_complete_callback([&globals] { enable_debug_trace(globals); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_error(globals, std::string("minirun: ") + e.what());
  }
  return outcome.exit_code;
}
