// pause and resume: freeze and thaw every process of the container.
#include "cmd/commands.hpp"
#include "runtime/cgroups_container.hpp"

namespace minirun::cmd {

namespace {

void add_freezer_verb(CLI::App& app, const GlobalOptions& globals, Outcome& outcome,
                      const char* name, const char* help,
                      sys::Status (*action)(const std::string&, const std::string&)) {
  auto id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("id", *id, "container ID")->required();
  cmd->callback([id, &globals, &outcome, action] {
    auto done = action(globals.root, *id);
    outcome.exit_code = done ? 0 : report_error(globals, done.error());
  });
}

}  // namespace

void add_pause_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  add_freezer_verb(app, globals, outcome, "pause", "suspend every process of the container",
                   runtime::pause_container);
}

void add_resume_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  add_freezer_verb(app, globals, outcome, "resume", "resume a paused container",
                   runtime::resume_container);
}

}  // namespace minirun::cmd
