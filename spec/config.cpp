#include "spec/config.hpp"

#include <array>
#include <utility>

namespace minirun::spec {

namespace {
constexpr std::array<std::pair<std::string_view, NamespaceType>, 8> kNamespaceNames{{
    {"pid", NamespaceType::pid},
    {"network", NamespaceType::network},
    {"mount", NamespaceType::mount},
    {"ipc", NamespaceType::ipc},
    {"uts", NamespaceType::uts},
    {"user", NamespaceType::user},
    {"cgroup", NamespaceType::cgroup},
    {"time", NamespaceType::time},
}};
}  // namespace

std::optional<NamespaceType> namespace_type_from_name(std::string_view name) {
  for (const auto& [n, t] : kNamespaceNames)
    if (n == name) return t;
  return std::nullopt;
}

std::string_view namespace_type_name(NamespaceType type) {
  for (const auto& [n, t] : kNamespaceNames)
    if (t == type) return n;
  return "unknown";
}

}  // namespace minirun::spec
