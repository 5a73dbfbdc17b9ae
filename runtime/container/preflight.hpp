// Everything `create` checks before it makes anything (no state dir, no process): the bundle
// loaded and validated, the namespace plan (joined paths opened), linux.netDevices present on
// the host and their names free in a joined network namespace, the host's nodes of
// linux.devices that a user namespace binds, the seccomp program compiled,
// the cgroups planned against this host.
// `check` runs exactly this, so its verdict is run's verdict.
#pragma once

#include <optional>
#include <string>

#include "runtime/cgroups/driver.hpp"
#include "runtime/container/bundle.hpp"
#include "runtime/namespaces/namespaces.hpp"
#include "runtime/process/seccomp.hpp"

namespace minirun::runtime {

struct Preflight {
  Bundle bundle;
  NamespacePlan namespaces;
  std::optional<SeccompProgram> seccomp;
  const CgroupDriver* cgroup_driver;  // what the manager flags pick (cgroup_driver_for)
  CgroupPlan cgroups;  // an unavailable controller is refused here, before anything exists
};

// id names the container's default cgroup (/minirun/<id>); `check` passes the bundle's name.
// The config is loaded and validated before the manager is checked, as runc orders them.
sys::Result<Preflight> preflight(const std::string& bundle_dir, const std::string& id,
                                 const CgroupManagerFlags& manager = {});

}  // namespace minirun::runtime
