// `features`: what minirun recognises, as runtime-spec's Features JSON.
#include "spec/features.hpp"

#include <cstdio>

#include "cmd/commands.hpp"
#include "runtime/process/seccomp_probe.hpp"

namespace minirun::cmd {

int features_command(const Invocation& in) {
  auto cmd = in.parser();
  if (auto exit = in.parse(cmd)) return *exit;
  spec::FeaturesInput input;
  input.libseccomp_version = runtime::libseccomp_version();
  input.seccomp_supported_flags = runtime::seccomp_supported_flags();
  std::printf("%s\n", spec::features_json(input).c_str());
  return 0;
}

}  // namespace minirun::cmd
