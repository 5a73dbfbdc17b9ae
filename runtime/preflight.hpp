// Everything `create` checks before it makes anything (no state dir, no process): the bundle
// loaded and validated, the namespace plan (joined paths opened), the seccomp program compiled,
// the cgroups planned against this host.
// `check` runs exactly this, so its verdict is run's verdict.
#pragma once

#include <optional>
#include <string>

#include "runtime/bundle.hpp"
#include "runtime/cgroups.hpp"
#include "runtime/namespaces.hpp"
#include "runtime/seccomp.hpp"

namespace minirun::runtime {

struct Preflight {
  Bundle bundle;
  NamespacePlan namespaces;
  std::optional<SeccompProgram> seccomp;
  CgroupPlan cgroups;  // an unavailable controller is refused here, before anything exists
};

// id names the container's default cgroup (/minirun/<id>); `check` passes the bundle's name.
sys::Result<Preflight> preflight(const std::string& bundle_dir, const std::string& id);

}  // namespace minirun::runtime
