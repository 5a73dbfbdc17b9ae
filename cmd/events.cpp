// events: runc's JSON lines. --stats prints the stats once; otherwise a stats line every
// --interval and an oom line whenever the kernel kills in the container, until it stops.
#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/cgroups_container.hpp"

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

void add_events_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  struct Args {
    std::string id;
    std::string interval = "5s";
    bool stats = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("events", "print container events (stats, oom) as JSON lines");
  cmd->add_option("id", args->id, "container ID")->required();
  cmd->add_option("--interval", args->interval, "time between stats lines")->capture_default_str();
  cmd->add_flag("--stats", args->stats, "print the stats once and exit");
  cmd->callback([args, &globals, &outcome] {
    if (args->stats) {
      auto stats = runtime::container_stats(globals.root, args->id);
      if (!stats) {
        outcome.exit_code = report_error(globals, stats.error());
        return;
      }
      std::printf("%s\n", spec::stats_event_json(args->id, *stats).c_str());
      return;
    }
    int ms = interval_ms(args->interval);
    if (ms <= 0) {
      outcome.exit_code = report_error(globals, "duration must be greater than 0");
      return;
    }
    auto done = runtime::stream_events(globals.root, args->id, ms, [](const std::string& line) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    });
    outcome.exit_code = done ? 0 : report_error(globals, done.error());
  });
}

}  // namespace minirun::cmd
