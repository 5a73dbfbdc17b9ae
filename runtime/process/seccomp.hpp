// linux.seccomp -> a classic BPF program. Compiled with libseccomp in the parent (before
// clone) so the container init only needs one seccomp(2) call and no library state.
#pragma once

#include <linux/filter.h>

#include <optional>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct SeccompProgram {
  std::vector<struct sock_filter> filter;
  unsigned int flags = 0;  // SECCOMP_FILTER_FLAG_* for seccomp(2)
};

// nullopt when the config has no seccomp section. Follows runc: syscall names unknown to
// libseccomp are skipped, rules whose action equals the default action are skipped, and
// several conditions on one argument index become separate rules (OR), otherwise one rule
// with all conditions (AND). SCMP_ACT_NOTIFY is reported as unsupported.
sys::Result<std::optional<SeccompProgram>> compile_seccomp(const std::optional<spec::Seccomp>&);

// In the child: seccomp(SECCOMP_SET_MODE_FILTER, flags, prog). Needs no_new_privs or
// CAP_SYS_ADMIN at the time of the call.
sys::Status install_seccomp(const SeccompProgram&);

}  // namespace minirun::runtime
