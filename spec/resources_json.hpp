// spec/-internal: linux.resources as a JSON object, for the documents spec/ writes (state.json
// keeps the resources `update` put in force). Only spec/*.cpp include this: nlohmann_json stays
// inside spec/.
#pragma once

#include <nlohmann/json.hpp>

#include "spec/config.hpp"

namespace minirun::spec {

nlohmann::ordered_json resources_json(const Resources& resources);

}  // namespace minirun::spec
