// linux.sysctl written by init through a private procfs instance, never through a /proc path
// the container could have replaced (CVE-2025-52881).
#pragma once

#include <map>
#include <string>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// In a user namespace, a file the kernel leaves to the host's root (kernel.domainname, the
// net.core ones outside the network namespace) is refused naming /linux/sysctl/KEY.
sys::Status write_sysctls(const std::map<std::string, std::string>& sysctls);

}  // namespace minirun::runtime
