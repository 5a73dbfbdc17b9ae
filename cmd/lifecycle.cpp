// create, start, state, kill, delete: thin wrappers over runtime/container.
#include <cstdio>

#include "cmd/commands.hpp"
#include "cmd/signals.hpp"
#include "runtime/container/container.hpp"
#include "spec/quote.hpp"

namespace minirun::cmd {

namespace {

int finish(const GlobalOptions& globals, const sys::Status& status) {
  return status ? 0 : report_error(globals, status.error());
}

}  // namespace

void declare_create_options(argv::Parser& cmd, runtime::CreateOptions& options,
                            const char* console_socket_help) {
  cmd.option("-b,--bundle", options.bundle, "bundle directory (default: current directory)");
  cmd.option("--pid-file", options.pid_file, "write the container process's pid here");
  cmd.option("--console-socket", options.console_socket, console_socket_help);
  cmd.flag("--no-pivot", options.no_pivot, "use chroot instead of pivot_root");
  cmd.flag("--no-new-keyring", options.no_new_keyring,
           "keep the caller's session keyring instead of a new _ses.<id> one");
  cmd.option("--preserve-fds", options.preserve_fds,
             "pass this many fds beyond stdio (3, 4, ...) to the container process")
      .non_negative();
}

int create_command(const Invocation& in) {
  runtime::CreateOptions options;
  auto cmd = in.parser();
  cmd.positional("ID", options.id, "container ID").required();
  declare_create_options(cmd, options,
                         "unix socket that receives the pty master (process.terminal)");
  if (auto exit = in.parse(cmd)) return *exit;

  options.root = in.globals.root;
  options.cgroup_manager = in.globals.cgroup_manager();
  if (options.bundle.empty()) options.bundle = ".";
  // runc's "runc create failed: ..." form: the shim shows the last error line of --log.
  auto created = runtime::create_container(options);
  return created ? 0
                 : report_error(in.globals, "minirun create failed: " + created.error().describe());
}

int start_command(const Invocation& in) {
  std::string id;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  if (auto exit = in.parse(cmd)) return *exit;
  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::change);
  if (!container) return finish(in.globals, container.error());
  return finish(in.globals, runtime::start_container(*container));
}

int state_command(const Invocation& in) {
  std::string id;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  if (auto exit = in.parse(cmd)) return *exit;
  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::read);
  if (!container) return report_error(in.globals, container.error());
  std::printf("%s\n", spec::state_to_json(container->state()).c_str());
  return 0;
}

int kill_command(const Invocation& in) {
  std::string id, signal = "SIGTERM";
  bool all = false;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  cmd.positional("SIGNAL", signal, "signal number or name, with or without SIG (default SIGTERM)");
  cmd.flag("-a,--all", all, "send to every process of the container");
  if (auto exit = in.parse(cmd)) return *exit;
  auto sig = parse_signal(signal);
  if (!sig) return report_error(in.globals, "invalid signal " + spec::go_quote(signal));
  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::change);
  if (!container) return finish(in.globals, container.error());
  return finish(in.globals, runtime::kill_container(*container, *sig, all));
}

int delete_command(const Invocation& in) {
  std::string id;
  bool force = false;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  cmd.flag("-f,--force", force, "kill the container first if it is running");
  if (auto exit = in.parse(cmd)) return *exit;
  auto dir = runtime::ContainerDir::of(in.globals.root, id);
  if (!dir) return finish(in.globals, dir.error());
  return finish(in.globals, runtime::delete_container(*dir, force));
}

}  // namespace minirun::cmd
