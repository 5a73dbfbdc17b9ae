#include "runtime/cgroups/driver.hpp"

#include <sys/stat.h>

#include "runtime/cgroups/cgroupfs_driver.hpp"
#include "runtime/cgroups/no_cgroups_driver.hpp"

namespace minirun::runtime {

sys::Result<const CgroupDriver*> cgroup_driver_for(const CgroupManagerFlags& flags) {
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
  // An unprivileged user cannot make cgroups below the host's roots, and minirun does not yet
  // look for a delegated cgroup2 subtree.
  if (flags.rootless) return &no_cgroups_driver();
  return &cgroupfs_driver();
}

const CgroupDriver& cgroup_driver_of(const spec::State& state) {
  if (state.cgroup_driver == no_cgroups_driver().name()) return no_cgroups_driver();
  return cgroupfs_driver();
}

}  // namespace minirun::runtime
