// One function per verb file: each adds its subcommand to the app.
#pragma once

#include <CLI/CLI.hpp>

#include "cmd/globals.hpp"

namespace minirun::cmd {

// The verb's exit code, set by its callback.
struct Outcome {
  int exit_code = 0;
};

void add_run_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_create_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_start_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_state_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_kill_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_delete_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_list_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_spec_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_exec_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_features_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);
void add_check_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome);

}  // namespace minirun::cmd
