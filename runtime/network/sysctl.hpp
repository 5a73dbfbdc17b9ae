// linux.sysctl written by init through a private procfs instance, never through a /proc path
// the container could have replaced (CVE-2025-52881).
#pragma once

#include <map>
#include <string>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

sys::Status write_sysctls(const std::map<std::string, std::string>& sysctls);

}  // namespace minirun::runtime
