// runc's ENOSYS stub: a profile written before a syscall existed does not name it, so the
// default action (usually EPERM) answers it, and a libc that falls back to an older call only
// on ENOSYS (glibc's clone3 -> clone, for threads and posix_spawn) breaks. Prepended to the
// filter, the stub answers ENOSYS for every syscall numbered above the last one the profile
// names on that architecture; everything else goes on to the profile's own program. As runc
// does it: not when the default action allows (nothing to fix) or already is ENOSYS.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

namespace minirun::runtime {

struct LastSyscall {
  uint32_t audit_arch;  // AUDIT_ARCH_* as seccomp_data.arch carries it
  uint32_t last;        // the highest syscall number the profile names there
  bool x32 = false;     // x32: AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT in the number
};

// The stub to put before a program: it falls through to the program's first instruction.
// Empty when there is no architecture to cover.
std::vector<struct sock_filter> enosys_stub(const std::vector<LastSyscall>& lasts);

}  // namespace minirun::runtime
