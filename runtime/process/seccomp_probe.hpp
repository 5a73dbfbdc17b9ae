// What this host's libseccomp and kernel offer, for `minirun features`.
#pragma once

#include <string>
#include <vector>

namespace minirun::runtime {

// "2.5.4", from the linked libseccomp.
std::string libseccomp_version();

// The SECCOMP_FILTER_FLAG_* names of spec::seccomp_flags() this kernel accepts.
std::vector<std::string> seccomp_supported_flags();

}  // namespace minirun::runtime
