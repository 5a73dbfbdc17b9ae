// spec/'s own readers of values nlohmann has parsed already, for the other JSON files spec/
// reads (state.json keeps the create-time hooks in config.json's format).
#pragma once

#include <nlohmann/json.hpp>

#include "spec/config.hpp"

namespace minirun::spec {

// A hooks object, read with config.json's rules. Throws ConfigError.
Hooks hooks_from_json(const nlohmann::json& value);

}  // namespace minirun::spec
