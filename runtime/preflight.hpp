// Everything `create` checks before it makes anything (no state dir, no process): the bundle
// loaded and validated, the namespace plan (joined paths opened), the seccomp program compiled.
// `check` runs exactly this, so its verdict is run's verdict.
#pragma once

#include <optional>
#include <string>

#include "runtime/bundle.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/seccomp.hpp"

namespace minirun::runtime {

struct Preflight {
  Bundle bundle;
  NamespacePlan namespaces;
  std::optional<SeccompProgram> seccomp;
};

sys::Result<Preflight> preflight(const std::string& bundle_dir);

}  // namespace minirun::runtime
