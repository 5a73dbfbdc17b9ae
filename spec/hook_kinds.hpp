// The six OCI hook kinds (config.md "POSIX-platform Hooks") in lifecycle order: the name each
// has in config.json, where its list lives in spec::Hooks, and the container status the state
// on a hook's stdin shows. Parsing, validation, `features` and the runtime all read this table.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "spec/config.hpp"
#include "spec/container_status.hpp"

namespace minirun::spec {

enum class HookKind {
  prestart,
  createRuntime,
  createContainer,
  startContainer,
  poststart,
  poststop
};

struct HookKindInfo {
  HookKind kind;
  std::string_view name;           // "createRuntime"
  std::vector<Hook> Hooks::*list;  // &Hooks::createRuntime
  ContainerStatus state_status;    // creating
};

const std::array<HookKindInfo, 6>& hook_kinds();
const HookKindInfo& hook_kind_info(HookKind kind);

}  // namespace minirun::spec
