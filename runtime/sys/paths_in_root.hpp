// Resolving config paths inside a root directory without ever leaving it: every lookup goes
// through openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from an fd of the root, so a
// symlink or ".." in the rootfs cannot point a mount at the host. Mount on the resulting O_PATH
// fd through its /proc/self/fd/N name.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

// Lexical clean-up to an absolute path: "a//b/./../c" -> "/a/c"; ".." stops at "/".
std::string clean_path(std::string_view path);

// "/a/b/c" -> "/a/b", "/a" -> "/"; expects a clean_path() result.
std::string parent_path(const std::string& clean);
// "/a/b/c" -> "c", "/" -> "".
std::string base_name(const std::string& clean);

// "/proc/self/fd/N": the name mount(2) and friends accept for an (O_PATH) fd.
std::string fd_path(int fd);

// fd_path(fd), or `path` itself when /proc is not mounted (after pivot_root into a container
// without /proc, where the path cannot leave the container's root anyway).
std::string fd_path_or(int fd, const std::string& path);

// Opens `path` inside the root `root_fd`. `flags` usually O_PATH (| O_DIRECTORY | O_NOFOLLOW);
// O_CLOEXEC is always added. Errors carry `step` and "open PATH (in rootfs)" plus errno, so a
// caller can test errnum == ENOENT.
sys::Result<sys::Fd> open_in_root(int root_fd, const std::string& path, int flags,
                                  const std::string& step);

// False when the lookup of `path` inside the root meets a symlink (the rootfs's own) on the
// way; true when it gets there without one, or stops at a missing component first.
bool reached_without_symlinks(int root_fd, const std::string& path);

// mkdir -p inside the root; returns an O_PATH fd of the (possibly already existing) directory.
sys::Result<sys::Fd> mkdir_all_in_root(int root_fd, const std::string& path, mode_t mode,
                                       const std::string& step);

// Makes sure `path` exists (an empty regular file is created when it does not, parents as
// directories) and returns an O_PATH fd of it, following a final symlink inside the root.
sys::Result<sys::Fd> ensure_file_in_root(int root_fd, const std::string& path,
                                         const std::string& step);

}  // namespace minirun::runtime
