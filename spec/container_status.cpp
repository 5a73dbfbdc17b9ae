#include "spec/container_status.hpp"

#include <array>
#include <utility>

namespace minirun::spec {

namespace {

constexpr std::array<std::pair<ContainerStatus, std::string_view>, 5> kWords = {{
    {ContainerStatus::creating, "creating"},
    {ContainerStatus::created, "created"},
    {ContainerStatus::running, "running"},
    {ContainerStatus::paused, "paused"},
    {ContainerStatus::stopped, "stopped"},
}};

}  // namespace

std::string_view to_string(ContainerStatus status) {
  for (const auto& [value, word] : kWords)
    if (value == status) return word;
  return "unknown";
}

std::optional<ContainerStatus> container_status_from(std::string_view word) {
  for (const auto& [value, known] : kWords)
    if (known == word) return value;
  return std::nullopt;
}

}  // namespace minirun::spec
