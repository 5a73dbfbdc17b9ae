// `features`: what minirun recognises, as runtime-spec's Features JSON.
#include "spec/features.hpp"

#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/seccomp_probe.hpp"

namespace minirun::cmd {

void add_features_command(CLI::App& app, const GlobalOptions& /*globals*/, Outcome& /*outcome*/) {
  auto* cmd = app.add_subcommand("features", "show the implemented features as JSON");
  cmd->callback([] {
    spec::FeaturesInput input;
    input.libseccomp_version = runtime::libseccomp_version();
    input.seccomp_supported_flags = runtime::seccomp_supported_flags();
    std::printf("%s\n", spec::features_json(input).c_str());
  });
}

}  // namespace minirun::cmd
