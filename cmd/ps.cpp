// ps: the container's processes from its cgroup. json prints the pids; table runs the host's
// ps (default -ef) and keeps its header and the container's lines, as runc does.
#include <cstdio>
#include <sstream>

#include "cmd/commands.hpp"
#include "runtime/cgroups_container.hpp"

namespace minirun::cmd {

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int print_table(const std::vector<pid_t>& pids, const std::vector<std::string>& ps_args,
                const GlobalOptions& globals) {
  std::string command = "ps";
  if (ps_args.empty()) command += " -ef";
  for (const auto& a : ps_args) command += " " + shell_quote(a);
  FILE* ps = popen(command.c_str(), "re");
  if (!ps) return report_error(globals, "ps: cannot run " + command);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, ps)) > 0) text.append(buf, n);
  if (pclose(ps) != 0) return report_error(globals, "ps: " + command + " failed");
  std::istringstream lines(text);
  std::string header;
  std::getline(lines, header);
  // The PID column: its index among the header's fields.
  std::istringstream fields(header);
  std::string field;
  int pid_column = -1;
  for (int i = 0; fields >> field; ++i)
    if (field == "PID") pid_column = i;
  if (pid_column < 0) return report_error(globals, "ps: couldn't find PID field in ps output");
  std::printf("%s\n", header.c_str());
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream cells(line);
    std::string cell;
    for (int i = 0; i <= pid_column && cells >> cell; ++i) {
    }
    pid_t pid = static_cast<pid_t>(std::strtol(cell.c_str(), nullptr, 10));
    for (pid_t p : pids)
      if (p == pid) std::printf("%s\n", line.c_str());
  }
  return 0;
}

}  // namespace

void add_ps_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  struct Args {
    std::string id;
    std::string format = "table";
    std::vector<std::string> ps_args;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("ps", "list the processes running in a container");
  cmd->add_option("-f,--format", args->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("id", args->id, "container ID")->required();
  cmd->footer("Arguments after the ID are passed to ps; the default is -ef.");
  // Both `ps ID -o pid` (runc's usage) and `ps ID -- -o pid`.
  cmd->add_option("ps-options", args->ps_args)->group("");
  cmd->prefix_command();
  cmd->callback([args, cmd, &globals, &outcome] {
    // CLI11 leaves the unrecognized option ("-o") in remaining() and hands its value to the
    // positional: the option goes first.
    std::vector<std::string> ps_args;
    for (const auto& extra : cmd->remaining())
      if (extra != "--") ps_args.push_back(extra);
    ps_args.insert(ps_args.end(), args->ps_args.begin(), args->ps_args.end());
    args->ps_args = ps_args;
    auto pids = runtime::container_pids(globals.root, args->id);
    if (!pids) {
      outcome.exit_code = report_error(globals, pids.error());
      return;
    }
    if (args->format == "json") {
      std::string out = "[";
      for (size_t i = 0; i < pids->size(); ++i) out += (i ? "," : "") + std::to_string((*pids)[i]);
      std::printf("%s]\n", out.c_str());
      return;
    }
    outcome.exit_code = print_table(*pids, args->ps_args, globals);
  });
}

}  // namespace minirun::cmd
