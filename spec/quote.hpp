// Go's %q for the names we print, so messages read like runc's.
#pragma once

#include <string>
#include <string_view>

namespace minirun::spec {

std::string go_quote(std::string_view s);

}  // namespace minirun::spec
