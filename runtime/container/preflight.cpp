#include "runtime/container/preflight.hpp"

#include <sys/stat.h>

namespace minirun::runtime {

sys::Status check_cgroup_manager(const CgroupManagerFlags& flags) {
  if (flags.systemd) {
    // runc's systemd.IsRunningSystemd().
    struct stat st {};
    if (lstat("/run/systemd/system", &st) != 0 || !S_ISDIR(st.st_mode))
      return sys::Error::plain(
          "", "systemd not running on this host, cannot use systemd cgroups manager");
    return sys::Error::plain("",
                             "minirun has no systemd cgroups manager: run it without "
                             "--systemd-cgroup (containerd: SystemdCgroup = false; podman: "
                             "--cgroup-manager=cgroupfs)");
  }
  if (flags.rootless)
    return sys::Error::plain("",
                             "minirun has no rootless cgroups manager (--rootless=true): "
                             "cgroup errors are always fatal; use --rootless=false or auto");
  return {};
}

sys::Result<Preflight> preflight(const std::string& bundle_dir, const std::string& id,
                                 const CgroupManagerFlags& manager) {
  auto bundle = load_bundle(bundle_dir);
  if (!bundle) return bundle.error();
  MR_TRY(check_cgroup_manager(manager));
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
