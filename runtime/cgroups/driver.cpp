#include "runtime/cgroups/driver.hpp"

#include <sys/stat.h>

#include "runtime/cgroups/cgroupfs_driver.hpp"
#include "runtime/cgroups/delegated_driver.hpp"
#include "runtime/cgroups/no_cgroups_driver.hpp"

namespace minirun::runtime {

sys::Result<const CgroupDriver*> cgroup_driver_for(const CgroupManagerFlags& flags,
                                                   const spec::Config& config,
                                                   const std::string& id) {
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
  if (!flags.rootless) return &cgroupfs_driver();
  auto host = read_cgroup_host();
  if (!host) return host.error();
  const spec::Linux empty;
  const spec::Linux& linux = config.linux ? *config.linux : empty;
  auto place = find_delegation(*host, linux.cgroupsPath, id);
  return rootless_cgroup_driver(place.ok() ? nullptr : &place.error(), linux);
}

sys::Result<const CgroupDriver*> rootless_cgroup_driver(const sys::Error* undelegated,
                                                        const spec::Linux& linux) {
  if (!undelegated) return &delegated_cgroup2_driver();
  // runc's rootless manager: without permission, no cgroup at all is fine only when nothing
  // was asked of one.
  const std::string why = " without a delegated cgroup2 subtree (" + undelegated->describe() + ")";
  if (linux.resources && asks_for_limits(*linux.resources))
    return sys::Error::plain("",
                             "config.json: /linux/resources: a rootless container cannot "
                             "have resource limits" +
                                 why);
  if (linux.cgroupsPath && !linux.cgroupsPath->empty())
    return sys::Error::plain("",
                             "config.json: /linux/cgroupsPath: a rootless container cannot "
                             "be placed in cgroup \"" +
                                 *linux.cgroupsPath + "\"" + why);
  return &no_cgroups_driver();
}

const CgroupDriver& cgroup_driver_of(const spec::State& state) {
  if (state.cgroup_driver == no_cgroups_driver().name()) return no_cgroups_driver();
  if (state.cgroup_driver == delegated_cgroup2_driver().name()) return delegated_cgroup2_driver();
  return cgroupfs_driver();
}

}  // namespace minirun::runtime
