// The cgroupfs driver: minirun's own cgroup code (v1, v2 and hybrid hosts, every cgroup error
// fatal, as runc's cgroupfs manager) behind the CgroupDriver interface.
#pragma once

#include "runtime/cgroups/driver.hpp"

namespace minirun::runtime {

const CgroupDriver& cgroupfs_driver();

}  // namespace minirun::runtime
