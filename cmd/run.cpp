#include <sys/stat.h>

#include "cmd/commands.hpp"
#include "runtime/container/container.hpp"
#include "runtime/container/handle.hpp"

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

}  // namespace

int run_command(const Invocation& in) {
  runtime::RunOptions options;
  std::string target;
  auto cmd = in.parser();
  cmd.footer(
      "ID or BUNDLE: with --bundle, the argument is the container ID. Without it, an argument that "
      "is a directory holding config.json is the bundle and the ID is its base name (with -2, -3, "
      "... appended while taken); otherwise it is the ID and the bundle is the current directory.");
  cmd.positional("ID", target, "container ID, or a bundle directory").required();
  cmd.flag("-d,--detach", options.detach, "do not wait for the container");
  declare_create_options(cmd, options, "unix socket that receives the pty master (with --detach)");
  if (auto exit = in.parse(cmd)) return *exit;

  options.root = in.globals.root;
  options.cgroup_manager = in.globals.cgroup_manager();
  if (options.bundle.empty() && is_bundle_dir(target)) {
    options.bundle = target;
    options.id = runtime::unused_container_id(in.globals.root, base_name(target));
  } else {
    options.id = target;
    if (options.bundle.empty()) options.bundle = ".";
  }
  auto code = runtime::run_container(options);
  return code ? *code : report_error(in.globals, "minirun run failed: " + code.error().describe());
}

}  // namespace minirun::cmd
