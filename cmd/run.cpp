#include <sys/stat.h>
#include <unistd.h>

#include "cmd/commands.hpp"
#include "runtime/container.hpp"

namespace minirun::cmd {

namespace {

bool is_bundle_dir(const std::string& path) {
  struct stat st {};
  return stat((path + "/config.json").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string base_name(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "bundle", then "bundle-2", "bundle-3", ... until the state root has no such container.
std::string unique_id(const std::string& root, const std::string& base) {
  std::string id = base;
  for (int n = 2; access((root + "/" + id).c_str(), F_OK) == 0; ++n)
    id = base + "-" + std::to_string(n);
  return id;
}

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  struct Args {
    runtime::RunOptions run;
    std::string target;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("run", "create and start a container (waits for it unless -d)");
  cmd->footer(
      "ID or BUNDLE: with --bundle, the argument is the container ID. Without it, an argument that "
      "is a directory holding config.json is the bundle and the ID is its base name (with -2, -3, "
      "... appended while taken); otherwise it is the ID and the bundle is the current directory.");
  cmd->add_option("target", args->target, "container ID, or a bundle directory")->required();
  cmd->add_option("-b,--bundle", args->run.bundle, "bundle directory (default: current directory)");
  cmd->add_option("--pid-file", args->run.pid_file, "write the container process's pid here");
  cmd->add_flag("-d,--detach", args->run.detach, "do not wait for the container");
  cmd->add_option("--console-socket", args->run.console_socket,
                  "unix socket that receives the pty master (with --detach)");
  cmd->add_flag("--no-pivot", args->run.no_pivot, "use chroot instead of pivot_root");
  cmd->add_flag("--no-new-keyring", args->run.no_new_keyring,
                "keep the caller's session keyring instead of a new _ses.<id> one");
  cmd->add_option("--preserve-fds", args->run.preserve_fds,
                  "pass this many fds beyond stdio (3, 4, ...) to the container process")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([args, &globals, &outcome] {
    runtime::RunOptions options = args->run;
    options.root = globals.root;
    if (options.bundle.empty() && is_bundle_dir(args->target)) {
      options.bundle = args->target;
      options.id = unique_id(globals.root, base_name(args->target));
    } else {
      options.id = args->target;
      if (options.bundle.empty()) options.bundle = ".";
    }
    auto code = runtime::run_container(options);
    outcome.exit_code =
        code ? *code : report_error(globals, "minirun run failed: " + code.error().describe());
  });
}

}  // namespace minirun::cmd
