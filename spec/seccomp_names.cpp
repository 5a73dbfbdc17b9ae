#include "spec/seccomp_names.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>

#include <array>

namespace minirun::spec {

namespace {

// runc maps SCMP_ACT_KILL to libseccomp's KILL_THREAD, as the spec's KILL predates KILL_THREAD.
// SCMP_ACT_NOTIFY needs a listener (listenerPath), which minirun does not have.
constexpr std::array<SeccompAction, 9> kActions{{
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false, true},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false, true},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false, true},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false, true},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true, true},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true, true},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false, true},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG, false, true},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false, false},
}};

constexpr std::array<SeccompName, 7> kOperators{{
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
}};

constexpr SeccompName kArchitectures[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
#ifdef SCMP_ARCH_LOONGARCH64
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64},
#endif
};

// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV only matters with SCMP_ACT_NOTIFY's listener, which
// minirun does not have, and Debian 12's libseccomp cannot set it: known, refused when asked.
constexpr std::array<SeccompName, 4> kFlags{{
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, false},
}};

}  // namespace

std::span<const SeccompAction> seccomp_actions() {
  return kActions;
}
std::span<const SeccompName> seccomp_operators() {
  return kOperators;
}
std::span<const SeccompName> seccomp_architectures() {
  return kArchitectures;
}
std::span<const SeccompName> seccomp_flags() {
  return kFlags;
}

const SeccompAction* find_seccomp_action(std::string_view name) {
  for (const auto& a : kActions)
    if (a.name == name) return &a;
  return nullptr;
}

std::optional<uint32_t> seccomp_name_value(std::span<const SeccompName> table,
                                           std::string_view name) {
  for (const auto& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

}  // namespace minirun::spec
