// ps: the container's processes from its cgroup. json prints the pids; table runs the host's
// ps (default -ef) and keeps its header and the container's lines, as runc does.
#include <charconv>
#include <cstdio>
#include <string_view>

#include "cmd/commands.hpp"
#include "runtime/container/cgroup_verbs.hpp"

namespace minirun::cmd {

namespace {

// The whitespace-separated fields of a ps line.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t at = 0;
  while ((at = line.find_first_not_of(" \t", at)) != std::string_view::npos) {
    size_t end = line.find_first_of(" \t", at);
    fields.push_back(line.substr(at, end - at));
    at = end;
  }
  return fields;
}

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
  std::string_view rest = text;
  auto next_line = [&rest]() {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    return line;
  };
  const std::string_view header = next_line();
  // The PID column: its index among the header's fields.
  const auto titles = fields_of(header);
  size_t pid_column = titles.size();
  for (size_t i = 0; i < titles.size(); ++i)
    if (titles[i] == "PID") pid_column = i;
  if (pid_column == titles.size())
    return report_error(globals, "ps: couldn't find PID field in ps output");
  std::printf("%.*s\n", static_cast<int>(header.size()), header.data());
  while (!rest.empty()) {
    const std::string_view line = next_line();
    const auto cells = fields_of(line);
    if (cells.size() <= pid_column) continue;
    pid_t pid = 0;
    std::from_chars(cells[pid_column].data(), cells[pid_column].data() + cells[pid_column].size(),
                    pid);
    for (pid_t p : pids)
      if (p == pid) std::printf("%.*s\n", static_cast<int>(line.size()), line.data());
  }
  return 0;
}

}  // namespace

int ps_command(const Invocation& in) {
  std::string id, format = "table";
  std::vector<std::string> ps_args;
  auto cmd = in.parser();
  cmd.option("-f,--format", format, "output format").one_of("table|json");
  cmd.positional("ID", id, "container ID").required();
  // Both `ps ID -o pid` (runc's usage) and `ps ID -- -o pid`.
  cmd.rest("PS-OPTIONS", ps_args, "passed to ps (default: -ef)");
  if (auto exit = in.parse(cmd)) return *exit;

  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::read);
  if (!container) return report_error(in.globals, container.error());
  auto pids = runtime::container_pids(*container);
  if (!pids) return report_error(in.globals, pids.error());
  if (format == "json") {
    std::string out = "[";
    for (size_t i = 0; i < pids->size(); ++i) out += (i ? "," : "") + std::to_string((*pids)[i]);
    std::printf("%s]\n", out.c_str());
    return 0;
  }
  return print_table(*pids, ps_args, in.globals);
}

}  // namespace minirun::cmd
