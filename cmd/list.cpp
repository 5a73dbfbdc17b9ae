#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/container/container.hpp"

namespace minirun::cmd {

namespace {

using Row = std::array<std::string, 6>;

// runc's tabwriter layout: each column as wide as its widest cell plus 3, at least 12.
void print_table(const std::vector<Row>& rows) {
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], std::max<size_t>(12, row[i].size() + 3));
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : row[i] + std::string(width[i] - row[i].size(), ' ');
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

int list_command(const Invocation& in) {
  std::string format = "table";
  bool quiet = false;
  auto cmd = in.parser();
  cmd.option("-f,--format", format, "output format").one_of("table|json");
  cmd.flag("-q,--quiet", quiet, "print only the IDs");
  if (auto exit = in.parse(cmd)) return *exit;

  // Printed as the states come, but for the table, whose columns need every row first.
  std::vector<Row> rows{{"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  bool first = true;
  // Checked before the JSON's "[": an unreadable root prints only its error line.
  if (access(in.globals.root.c_str(), R_OK | X_OK) < 0 && errno != ENOENT)
    return report_error(in.globals, sys::Error::from_errno("", "open " + in.globals.root));
  if (format == "json" && !quiet) std::printf("[");
  auto listed = runtime::for_each_container(in.globals.root, [&](const spec::State& s) {
    if (quiet) {
      std::printf("%s\n", s.id.c_str());
    } else if (format == "json") {
      std::printf("%s%s", first ? "" : ",", spec::state_to_compact_json(s).c_str());
    } else {
      rows.push_back({s.id, std::to_string(s.pid), std::string(spec::to_string(s.status)), s.bundle,
                      s.created, s.owner});
    }
    first = false;
  });
  if (!listed) return report_error(in.globals, listed.error());
  if (quiet) return 0;
  if (format == "json")
    std::printf("]\n");
  else
    print_table(rows);
  return 0;
}

}  // namespace minirun::cmd
