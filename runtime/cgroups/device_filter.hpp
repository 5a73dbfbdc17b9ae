// Device rules on cgroup2: there is no devices.allow; a BPF_PROG_TYPE_CGROUP_DEVICE program
// attached to the cgroup decides each open/mknod. The program emulates the v1 list: the last
// rule that matches decides (an allow must cover all the access asked, a deny any of it);
// no match allows, as a fresh v1 cgroup does.
#pragma once

#include <linux/bpf.h>

#include <string>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// Pure: the program's instructions.
std::vector<bpf_insn> device_filter_program(const std::vector<spec::DeviceCgroupRule>& rules);

// Loads the program and attaches it to the cgroup2 directory (BPF_F_ALLOW_MULTI).
sys::Status attach_device_filter(const std::string& cgroup_dir,
                                 const std::vector<spec::DeviceCgroupRule>& rules);

}  // namespace minirun::runtime
