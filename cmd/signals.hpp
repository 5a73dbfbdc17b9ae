// kill's signal argument: "9", "KILL" or "SIGKILL", as runc accepts them.
#pragma once

#include <optional>
#include <string_view>

namespace minirun::cmd {

std::optional<int> parse_signal(std::string_view text);

}  // namespace minirun::cmd
