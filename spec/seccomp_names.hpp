// The seccomp names config.json may use (linux.seccomp) with their libseccomp and kernel
// values: one table per name set, read by validate, the filter compiler, `features` and the
// flag probe, so none of them can accept a name another refuses.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace minirun::spec {

struct SeccompAction {
  std::string_view name;  // "SCMP_ACT_ERRNO"
  uint32_t value;         // SCMP_ACT_* with no data; errno/trace data is or'ed in
  bool takes_data;        // ERRNO and TRACE carry errnoRet (EPERM when unset)
  bool supported;         // false: known to the spec, refused when a config uses it
};

struct SeccompName {
  std::string_view name;
  uint32_t value;
  bool supported = true;  // false: known to the spec, refused when a config uses it
};

// defaultAction and each syscalls[].action.
std::span<const SeccompAction> seccomp_actions();
// syscalls[].args[].op: SCMP_CMP_* (enum scmp_compare values).
std::span<const SeccompName> seccomp_operators();
// architectures: SCMP_ARCH_* tokens.
std::span<const SeccompName> seccomp_architectures();
// flags: SECCOMP_FILTER_FLAG_* bits. What the kernel accepts is probed at run time
// (features' supportedFlags).
std::span<const SeccompName> seccomp_flags();

const SeccompAction* find_seccomp_action(std::string_view name);
std::optional<uint32_t> seccomp_name_value(std::span<const SeccompName> table,
                                           std::string_view name);

}  // namespace minirun::spec
