// The fds a container process gets: stdio, --preserve-fds N (fds 3 .. 3+N-1 of the caller), and
// nothing else. minirun's init and exec children are clones of the runtime, so they start with
// every fd it and its caller had open, close-on-exec or not; each one a container process could
// reach (through /proc/PID/fd before the exec, or as an inherited cwd) is a way out
// (CVE-2024-21626).
#pragma once

#include <vector>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// Fills any hole in 3 .. 3+n-1 with /dev/null, so no fd the runtime opens later (sync socket,
// namespace fds) lands in the preserved range and leaks into the container. Call first.
void reserve_preserved_fds(int n);

// Closes every fd at or above `first` but those in `keep`. A child of the runtime calls it
// first thing, before it holds anything of the container's. Step "fds".
sys::Status close_fds_from(int first, std::vector<int> keep);

// Marks every fd at or above `first` close-on-exec, right before the exec (runc's
// CloseExecFrom). When close_range is refused (an old kernel, or a seccomp profile that does
// not list it, which may answer with any errno), it walks /proc/self/fd as runc does: openat,
// getdents64, fcntl and close only. Step "exec".
sys::Status cloexec_fds_from(int first);

}  // namespace minirun::runtime
