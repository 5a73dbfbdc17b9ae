// The cgroup manager the global flags ask for. minirun has one, runc's cgroupfs manager with
// every cgroup error fatal; asking for another is refused before anything is made
// (cgroup_driver_for in driver.hpp).
#pragma once

namespace minirun::runtime {

struct CgroupManagerFlags {
  bool systemd = false;   // --systemd-cgroup
  bool rootless = false;  // --rootless=true (auto and false are minirun's manager)
};

}  // namespace minirun::runtime
