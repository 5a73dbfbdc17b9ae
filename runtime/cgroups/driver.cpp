#include "runtime/cgroups/driver.hpp"

#include <sys/stat.h>

#include "runtime/cgroups/cgroupfs_driver.hpp"

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
  if (flags.rootless)
    return sys::Error::plain("",
                             "minirun has no rootless cgroups manager (--rootless=true): "
                             "cgroup errors are always fatal; use --rootless=false or auto");
  return &cgroupfs_driver();
}

// Only cgroupfs makes containers today, so state.json need not say which driver did; a second
// driver adds that to the state and the choice here.
const CgroupDriver& cgroup_driver_of(const spec::State&) {
  return cgroupfs_driver();
}

}  // namespace minirun::runtime
