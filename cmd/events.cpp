// events: runc's JSON lines. --stats prints the stats once; otherwise a stats line every
// --interval and an oom line whenever the kernel kills in the container, until it stops.
#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/container/cgroup_verbs.hpp"

namespace minirun::cmd {

namespace {

// "5s", "500ms", "1m", "2" (seconds): Go duration-ish, as runc's --interval.
int interval_ms(const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (...) {
    return -1;
  }
  std::string unit = text.substr(used);
  double scale = unit == "ms" ? 1 : unit == "m" ? 60000 : unit == "h" ? 3600000 : 1000;
  if (!(unit.empty() || unit == "s" || unit == "ms" || unit == "m" || unit == "h")) return -1;
  return value > 0 ? static_cast<int>(value * scale) : -1;
}

}  // namespace

int events_command(const Invocation& in) {
  std::string id, interval = "5s";
  bool stats = false;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  cmd.option("--interval", interval, "time between stats lines");
  cmd.flag("--stats", stats, "print the stats once and exit");
  if (auto exit = in.parse(cmd)) return *exit;

  int ms = interval_ms(interval);  // --stats ignores it
  if (!stats && ms <= 0) return report_error(in.globals, "duration must be greater than 0");
  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::read);
  if (!container) return report_error(in.globals, container.error());
  if (stats) {
    auto got = runtime::container_stats(*container);
    if (!got) return report_error(in.globals, got.error());
    std::printf("%s\n", spec::stats_event_json(id, *got).c_str());
    return 0;
  }
  auto done = runtime::stream_events(*container, ms, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  return done ? 0 : report_error(in.globals, done.error());
}

}  // namespace minirun::cmd
