// create, start, state, kill, delete: thin wrappers over runtime/container.
#include <cstdio>

#include "cmd/commands.hpp"
#include "cmd/signals.hpp"
#include "runtime/container.hpp"

namespace minirun::cmd {

namespace {

int finish(const GlobalOptions& globals, const sys::Status& status) {
  return status ? 0 : report_error(globals, status.error());
}

}  // namespace

void add_create_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  auto options = std::make_shared<runtime::CreateOptions>();
  auto* cmd = app.add_subcommand("create", "create a container; `start` runs its process");
  cmd->add_option("id", options->id, "container ID")->required();
  cmd->add_option("-b,--bundle", options->bundle, "bundle directory (default: current directory)");
  cmd->add_option("--pid-file", options->pid_file, "write the container process's pid here");
  cmd->add_option("--console-socket", options->console_socket,
                  "unix socket that receives the pty master (process.terminal)");
  cmd->add_flag("--no-pivot", options->no_pivot, "use chroot instead of pivot_root");
  cmd->add_flag("--no-new-keyring", options->no_new_keyring,
                "keep the caller's session keyring instead of a new _ses.<id> one");
  cmd->add_option("--preserve-fds", options->preserve_fds,
                  "pass this many fds beyond stdio (3, 4, ...) to the container process")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([options, &globals, &outcome] {
    runtime::CreateOptions o = *options;
    o.root = globals.root;
    if (o.bundle.empty()) o.bundle = ".";
    // runc's "runc create failed: ..." form: the shim shows the last error line of --log.
    auto created = runtime::create_container(o);
    outcome.exit_code =
        created ? 0 : report_error(globals, "minirun create failed: " + created.error().describe());
  });
}

void add_start_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  auto id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("start", "start the process of a created container");
  cmd->add_option("id", *id, "container ID")->required();
  cmd->callback([id, &globals, &outcome] {
    outcome.exit_code = finish(globals, runtime::start_container(globals.root, *id));
  });
}

void add_state_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  auto id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("state", "print the state of a container as JSON");
  cmd->add_option("id", *id, "container ID")->required();
  cmd->callback([id, &globals, &outcome] {
    auto state = runtime::container_state(globals.root, *id);
    if (!state) {
      outcome.exit_code = report_error(globals, state.error());
      return;
    }
    std::printf("%s\n", spec::state_to_json(*state).c_str());
  });
}

void add_kill_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  struct Args {
    std::string id;
    std::string signal = "SIGTERM";
    bool all = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("kill", "send a signal (default SIGTERM) to the container's init");
  cmd->add_option("id", args->id, "container ID")->required();
  cmd->add_option("signal", args->signal, "signal number or name, with or without SIG");
  cmd->add_flag("-a,--all", args->all, "send to every process of the container");
  cmd->callback([args, &globals, &outcome] {
    auto sig = parse_signal(args->signal);
    if (!sig) {
      outcome.exit_code = report_error(globals, "invalid signal \"" + args->signal + "\"");
      return;
    }
    outcome.exit_code =
        finish(globals, runtime::kill_container(globals.root, args->id, *sig, args->all));
  });
}

void add_delete_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  struct Args {
    std::string id;
    bool force = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("delete", "delete a stopped container (or any, with --force)");
  cmd->add_option("id", args->id, "container ID")->required();
  cmd->add_flag("-f,--force", args->force, "kill the container first if it is running");
  cmd->callback([args, &globals, &outcome] {
    outcome.exit_code =
        finish(globals, runtime::delete_container(globals.root, args->id, args->force));
  });
}

}  // namespace minirun::cmd
