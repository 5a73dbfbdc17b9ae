// spec/'s typed readers, for the other JSON documents spec/ reads (state.json keeps the
// create-time hooks and the resources in force in config.json's format).
#pragma once

#include "spec/config.hpp"
#include "spec/json_reader.hpp"

namespace minirun::spec {

// A hooks object, read with config.json's rules. Throws ConfigError.
Hooks hooks_from_json(const json::Value& value);

// A LinuxResources object, read with config.json's rules. Throws ConfigError.
Resources resources_from_json(const json::Value& value);

}  // namespace minirun::spec
