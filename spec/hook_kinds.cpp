#include "spec/hook_kinds.hpp"

namespace minirun::spec {

const std::array<HookKindInfo, 6>& hook_kinds() {
  // Indexed by HookKind: hook_kind_info() relies on the order.
  static const std::array<HookKindInfo, 6> kinds = {{
      {HookKind::prestart, "prestart", &Hooks::prestart, ContainerStatus::creating},
      {HookKind::createRuntime, "createRuntime", &Hooks::createRuntime, ContainerStatus::creating},
      {HookKind::createContainer, "createContainer", &Hooks::createContainer,
       ContainerStatus::creating},
      {HookKind::startContainer, "startContainer", &Hooks::startContainer,
       ContainerStatus::created},
      {HookKind::poststart, "poststart", &Hooks::poststart, ContainerStatus::running},
      {HookKind::poststop, "poststop", &Hooks::poststop, ContainerStatus::stopped},
  }};
  return kinds;
}

const HookKindInfo& hook_kind_info(HookKind kind) {
  return hook_kinds()[static_cast<size_t>(kind)];
}

}  // namespace minirun::spec
