#include "runtime/preflight.hpp"

namespace minirun::runtime {

sys::Result<Preflight> preflight(const std::string& bundle_dir, const std::string& id) {
  auto bundle = load_bundle(bundle_dir);
  if (!bundle) return bundle.error();
  const spec::Config& config = bundle->config;
  auto namespaces = plan_namespaces(config);
  if (!namespaces) return namespaces.error();
  auto seccomp = compile_seccomp(config.linux ? config.linux->seccomp : std::nullopt);
  if (!seccomp) return seccomp.error();
  auto cgroups = plan_cgroups(config, id);
  if (!cgroups) return cgroups.error();
  return Preflight{std::move(*bundle), std::move(*namespaces), std::move(*seccomp),
                   std::move(*cgroups)};
}

}  // namespace minirun::runtime
