// The minirun binary a container can see is never the writable host file (CVE-2019-5736).
//
// Every process minirun puts in a container (its init before start, an exec'd child before its
// execve, a middle process) is a clone of the minirun that the caller ran, so its
// /proc/PID/exe is that binary; and a `#!/proc/self/exe` script exec'd from such a process has
// the kernel load the same file again as the interpreter, with a fresh, dumpable process. So
// run, create and exec first re-execute themselves from a read-only mount of their own binary,
// made detached with open_tree(OPEN_TREE_CLONE) + mount_setattr(MOUNT_ATTR_RDONLY): no copy,
// no mount anyone can see, and it goes away with the last process whose exe it is. A write
// through any /proc/PID/exe then fails with EROFS. Where a detached mount cannot be made
// (no CAP_SYS_ADMIN, an old kernel, a binary outside our mount namespace), a sealed memfd copy
// takes its place, as runc and crun do it.
#pragma once

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// Returns at once when the running binary is sealed already; otherwise re-executes it
// (argv and environ unchanged) from a read-only detached mount, else a sealed memfd copy, and
// returns only if both fail. Step "seal".
sys::Status reexec_sealed(char* const argv[]);

}  // namespace minirun::runtime
