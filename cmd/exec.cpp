// exec: run another process in a running container. Failures exit 255 with "exec failed: ..."
// as runc does, so callers can tell them from the process's own exit codes.
#include "runtime/container/exec.hpp"

#include "cmd/commands.hpp"

namespace minirun::cmd {

int exec_command(const Invocation& in) {
  runtime::ExecOptions options;
  std::string id;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  // Everything after the ID is the command, dash-arguments included (`exec c1 ls -l`).
  cmd.rest("COMMAND", options.args, "the command and its arguments (without --process)");
  cmd.option("-p,--process", options.process_file, "a process.json to run");
  cmd.flag("-t,--tty", options.tty, "allocate a pseudo-TTY");
  cmd.option("--console-socket", options.console_socket,
             "unix socket that receives the pty master (with --tty)");
  cmd.option("--cwd", options.cwd, "working directory in the container");
  cmd.list("-e,--env", options.env, "KEY=VALUE to set in the environment (replaces KEY's value)");
  cmd.option("-u,--user", options.user, "UID[:GID]");
  cmd.list("-g,--additional-gids", options.additional_gids, "an additional group");
  cmd.list("-c,--cap", options.caps,
           "a capability to add to the bounding, effective and permitted sets");
  cmd.flag("--no-new-privs", options.no_new_privs, "set no_new_privs for the process");
  cmd.flag("-d,--detach", options.detach, "do not wait for the process");
  cmd.option("--pid-file", options.pid_file, "write the process's pid here");
  cmd.option("--preserve-fds", options.preserve_fds,
             "pass this many fds beyond stdio (3, 4, ...) to the process")
      .non_negative();
  cmd.option("--process-label", options.process_label,
             "refused: minirun does not support SELinux labels");
  cmd.option("--apparmor", options.apparmor, "refused: minirun does not support AppArmor");
  cmd.flag("--ignore-paused", options.ignore_paused, "exec even in a paused container");
  if (auto exit = in.parse(cmd)) return *exit;

  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::read);
  auto code = container ? runtime::exec_in_container(*container, options)
                        : sys::Result<int>(container.error());
  if (code) return *code;
  report_error(in.globals, "exec failed: " + code.error().describe());
  return 255;
}

}  // namespace minirun::cmd
