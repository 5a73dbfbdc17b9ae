// check: would `run` accept this bundle, and what would it set up? Nothing is created.
#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/preflight.hpp"
#include "spec/explain.hpp"
#include "spec/parse.hpp"

namespace minirun::cmd {

namespace {

// The config to explain even when the bundle is refused, so the report shows which key or
// field was at fault. nullopt when it does not even parse.
std::optional<spec::Config> config_for_report(const std::string& bundle) {
  try {
    return spec::load_config(bundle + "/config.json");
  } catch (const spec::ConfigError&) {
    return std::nullopt;
  }
}

}  // namespace

void add_check_command(CLI::App& app, const GlobalOptions& globals, Outcome& outcome) {
  struct Args {
    std::string bundle = ".";
    std::string format = "text";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "check", "validate a bundle without running it and explain what it would set up");
  cmd->add_option("bundle", args->bundle, "bundle directory (default: current directory)");
  cmd->add_option("-f,--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &globals, &outcome] {
    // The verdict comes from create's own pre-flight, never from the explainer.
    // The ID only names the default cgroup, which is planned here, never made.
    auto checked = runtime::preflight(args->bundle, "check");
    std::optional<spec::Config> config;
    if (checked)
      config = checked->bundle.config;
    else
      config = config_for_report(args->bundle);

    spec::Explanation report;
    if (config) report = spec::explain_config(*config, runtime::host_facts());
    report.bundle = checked ? checked->bundle.dir : args->bundle;
    report.would_run = checked.ok();
    if (!checked) report.error = checked.error().describe();

    if (args->format == "json")
      std::printf("%s\n", spec::explanation_to_json(report).c_str());
    else if (config)
      std::fputs(spec::explanation_to_text(report).c_str(), stdout);
    std::fflush(stdout);
    outcome.exit_code = checked ? 0 : report_error(globals, checked.error());
  });
}

}  // namespace minirun::cmd
