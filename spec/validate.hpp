// Cross-field rules over a parsed Config, with runc's rules and runc's words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "spec/config.hpp"
#include "spec/host_facts.hpp"
#include "spec/parse.hpp"

namespace minirun::spec {

// The first rule the config breaks, or nullopt when it is fine.
std::optional<ConfigError> validate_config(const Config& config, const HostFacts& host);

// runc's container ID rule: [0-9A-Za-z_+.-]+, not "." or "..".
bool is_valid_container_id(std::string_view id);

}  // namespace minirun::spec
