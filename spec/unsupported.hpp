// Fields minirun reads but does not implement. A config (or an exec's process) that sets one
// is refused with one line naming the field, rather than run without it. What runc 1.1
// itself ignores and engines send anyway stays accepted and is listed in
// docs/runc-differences.md ("Accepted and ignored").
#pragma once

#include <optional>
#include <string>

#include "spec/config.hpp"
#include "spec/parse.hpp"

namespace minirun::spec {

// runc's words for an SELinux label on a host without SELinux; minirun has no SELinux support
// on any host.
inline constexpr const char* kSelinuxUnsupported =
    "selinux label is specified in config, but selinux is disabled or not supported";

// The first unsupported field the process sets; `base` is its JSON pointer ("/process", or ""
// for an exec's process.json).
std::optional<ConfigError> unsupported_in_process(const Process& process, const std::string& base);

// The first unsupported field of linux.resources (also `update`'s); `base` is its pointer.
std::optional<ConfigError> unsupported_in_resources(const Resources& resources,
                                                    const std::string& base);

// The first unsupported field of the config, process included.
std::optional<ConfigError> unsupported_in_config(const Config& config);

// One line for an AppArmor profile, which minirun cannot apply.
std::string apparmor_unsupported(const std::string& profile);

}  // namespace minirun::spec
