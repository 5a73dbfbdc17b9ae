// `minirun features`: the runtime-spec Features structure (features.md, features-linux.md) as
// runc prints it. It says what minirun recognises, not what this host offers; the two facts
// that come from libraries are passed in, so this stays pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minirun::spec {

struct FeaturesInput {
  std::string libseccomp_version;                    // "2.5.4"
  std::vector<std::string> seccomp_supported_flags;  // the known flags this kernel accepts
};

// The Features JSON, 4-space indented like runc's, without a trailing newline.
std::string features_json(const FeaturesInput& input);

}  // namespace minirun::spec
