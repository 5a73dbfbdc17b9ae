// linux.readonlyPaths and linux.maskedPaths, resolved inside a root: the container's "/" after
// pivot_root, or the rootfs before it (see rootfs_order.hpp for which go when).
#pragma once

#include <string>
#include <vector>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// Binds each path onto itself and remounts it read-only, keeping its nosuid/nodev/noexec and
// atime flags. A missing path is skipped. This is where /proc/sys becomes read-only.
// Errors have step "readonly_paths".
sys::Status apply_readonly_paths(int root_fd, const std::vector<std::string>& paths);
// The same inside the container's "/", after pivot_root.
sys::Status apply_readonly_paths(const std::vector<std::string>& paths);

// Hides each path: a file gets /dev/null bound over it (after checking that /dev/null is the
// 1:3 character device, CVE-2025-31133), a directory gets an empty read-only tmpfs. A missing
// path is skipped. Errors have step "masked_paths".
sys::Status apply_masked_paths(int root_fd, const std::vector<std::string>& paths);
// The same inside the container's "/", after pivot_root.
sys::Status apply_masked_paths(const std::vector<std::string>& paths);

}  // namespace minirun::runtime
