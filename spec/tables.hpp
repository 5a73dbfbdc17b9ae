// Names the spec uses for kernel constants: capabilities and rlimits.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace minirun::spec {

// "CAP_NET_ADMIN" -> 12. Only names this runtime knows; nullopt otherwise.
std::optional<int> capability_number(std::string_view name);
std::optional<std::string_view> capability_name(int number);
// In kernel order (index == number).
const std::vector<std::string_view>& capability_names();

// "RLIMIT_NOFILE" -> RLIMIT_NOFILE.
std::optional<int> rlimit_number(std::string_view name);
std::optional<std::string_view> rlimit_name(int number);
const std::vector<std::string_view>& rlimit_names();

}  // namespace minirun::spec
