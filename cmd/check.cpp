// check: would `run` accept this bundle, and what would it set up? Nothing is created.
#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/container/preflight.hpp"
#include "runtime/network/net_devices.hpp"
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

// What the host has of each linux.netDevices entry: kind, MTU, MAC, which addresses go along.
void describe_host_devices(const spec::Config& config, spec::Explanation& report) {
  if (!config.linux || config.linux->netDevices.empty()) return;
  auto moves = runtime::describe_net_devices(config.linux->netDevices);
  if (!moves) return;  // the verdict line already says why, if it matters
  for (auto& d : report.net_devices) {
    for (const auto& m : *moves) {
      if (m.host_name != d.host_name || !m.found) continue;
      d.found = true;
      d.kind = m.kind;
      d.mtu = m.mtu;
      d.mac = m.mac_text();
      d.fate = m.fate();
      for (const auto& a : m.addresses) {
        if (a.kept())
          d.addresses.push_back(a.text());
        else
          d.not_carried.push_back(a.text() + " (" + a.why_not_kept() + ")");
      }
    }
  }
}

}  // namespace

int check_command(const Invocation& in) {
  std::string bundle = ".", format = "text";
  auto cmd = in.parser();
  cmd.positional("BUNDLE", bundle, "bundle directory (default: current directory)");
  cmd.option("-f,--format", format, "output format").one_of("text|json");
  if (auto exit = in.parse(cmd)) return *exit;

  // The verdict comes from create's own pre-flight, never from the explainer.
  // The ID only names the default cgroup, which is planned here, never made.
  auto checked = runtime::preflight(bundle, "check", in.globals.cgroup_manager());
  std::optional<spec::Config> config;
  if (checked)
    config = checked->bundle.config;
  else
    config = config_for_report(bundle);

  spec::Explanation report;
  if (config) {
    report = spec::explain_config(*config, runtime::host_facts());
    describe_host_devices(*config, report);
  }
  if (checked) {
    report.cgroups = spec::CgroupsExplained{checked->cgroup_driver->name(),
                                            runtime::distinct_dirs(checked->cgroups.paths)};
  }
  report.bundle = checked ? checked->bundle.dir : bundle;
  report.would_run = checked.ok();
  if (!checked) report.error = checked.error().describe();

  if (format == "json")
    std::printf("%s\n", spec::explanation_to_json(report).c_str());
  else if (config)
    std::fputs(spec::explanation_to_text(report).c_str(), stdout);
  std::fflush(stdout);
  return checked ? 0 : report_error(in.globals, checked.error());
}

}  // namespace minirun::cmd
