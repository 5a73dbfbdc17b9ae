#include "runtime/container/preflight.hpp"

#include <unistd.h>

#include "runtime/namespaces/id_map_policy.hpp"
#include "runtime/network/net_devices.hpp"
#include "runtime/rootfs/devices.hpp"

namespace minirun::runtime {

sys::Result<Preflight> preflight(const std::string& bundle_dir, const std::string& id,
                                 const CgroupManagerFlags& manager) {
  auto bundle = load_bundle(bundle_dir);
  if (!bundle) return bundle.error();
  const spec::Config& config = bundle->config;
  auto driver = cgroup_driver_for(manager, config, id);
  if (!driver) return driver.error();
  IdMapHelpers helpers;
  if (config.linux) {
    auto checked = check_id_maps_for_caller(*config.linux, geteuid(), getegid());
    if (!checked) return checked.error();
    helpers = std::move(*checked);
  }
  auto namespaces = plan_namespaces(config);
  if (!namespaces) return namespaces.error();
  namespaces->id_map_helpers = std::move(helpers);
  if (config.linux && !config.linux->netDevices.empty()) {
    int joined_netns = -1;
    for (const auto& join : namespaces->joins)
      if (join.type == spec::NamespaceType::network) joined_netns = join.fd.get();
    MR_TRY(preflight_net_devices(config.linux->netDevices, joined_netns));
  }
  MR_TRY(check_bound_devices(config));
  auto seccomp = compile_seccomp(config.linux ? config.linux->seccomp : std::nullopt);
  if (!seccomp) return seccomp.error();
  auto cgroups = (*driver)->plan(config, id);
  if (!cgroups) return cgroups.error();
  return Preflight{std::move(*bundle), std::move(*namespaces), std::move(*seccomp), *driver,
                   std::move(*cgroups)};
}

}  // namespace minirun::runtime
