// exec: run another process in a running container. Failures exit 255 with "exec failed: ..."
// as runc does, so callers can tell them from the process's own exit codes.
#include "runtime/exec.hpp"

#include "cmd/commands.hpp"

namespace minirun::cmd {

void add_exec_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  auto options = std::make_shared<runtime::ExecOptions>();
  auto* cmd = app.add_subcommand("exec", "run a process in a running container");
  cmd->footer("Usage: exec [options] ID COMMAND [ARG...], or exec -p process.json [options] ID");
  // Everything after the ID is the command, dash-arguments included (`exec c1 ls -l`).
  cmd->prefix_command();
  cmd->add_option("id", options->id, "container ID")->required();
  cmd->add_option("-p,--process", options->process_file, "a process.json to run");
  cmd->add_flag("-t,--tty", options->tty, "allocate a pseudo-TTY");
  cmd->add_option("--console-socket", options->console_socket,
                  "unix socket that receives the pty master (with --tty)");
  cmd->add_option("--cwd", options->cwd, "working directory in the container");
  cmd->add_option("-e,--env", options->env, "KEY=VALUE to add to the environment")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-u,--user", options->user, "UID[:GID]");
  cmd->add_option("-g,--additional-gids", options->additional_gids, "an additional group")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-c,--cap", options->caps, "a capability to add")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--no-new-privs", options->no_new_privs, "set no_new_privs for the process");
  cmd->add_flag("-d,--detach", options->detach, "do not wait for the process");
  cmd->add_option("--pid-file", options->pid_file, "write the process's pid here");
  cmd->add_option("--preserve-fds", options->preserve_fds,
                  "pass this many fds beyond stdio (3, 4, ...) to the process")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--process-label", options->process_label, "accepted; SELinux is not supported");
  cmd->add_option("--apparmor", options->apparmor, "accepted; AppArmor is not supported");
  cmd->add_flag("--ignore-paused", options->ignore_paused, "exec even in a paused container");
  cmd->callback([options, cmd, &globals, &outcome] {
    runtime::ExecOptions o = *options;
    o.root = globals.root;
    o.args = cmd->remaining();
    auto code = runtime::exec_in_container(o);
    if (code) {
      outcome.exit_code = *code;
      return;
    }
    report_error(globals, "exec failed: " + code.error().describe());
    outcome.exit_code = 255;
  });
}

}  // namespace minirun::cmd
