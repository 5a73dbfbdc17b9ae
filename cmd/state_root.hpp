// Where container state lives when --root is not given, and whether the caller is rootless:
// both from the effective uid and whether we run in a user namespace, as runc decides them.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "runtime/sys/error.hpp"

namespace minirun::cmd {

// --rootless: "true" and "false" force it; "auto" is rootless for a non-root caller and, as
// runc's auto with the cgroupfs driver, for root inside a user namespace (rootless podman runs
// the runtime as uid 0 in the namespace it made from the user's subuid ranges: that root has
// no power over the host's cgroups).
bool rootless_for(const std::string& flag, uid_t euid, bool in_user_namespace);

// runc's default root with "minirun" for "runc": root gets /run/minirun; another user
// $XDG_RUNTIME_DIR/minirun when XDG_RUNTIME_DIR is set, else /run/minirun too (where its mkdir
// is refused in one line). Root inside a user namespace gets $XDG_RUNTIME_DIR/minirun when that
// dir is its own (owned by uid 0 there: rootless podman's user's runtime dir), as runc's
// shouldHonorXDGRuntimeDir. xdg may be null.
struct DefaultRoot {
  std::string path;
  bool in_xdg_runtime_dir = false;  // then prepare_private_state_root makes it
};
DefaultRoot default_state_root(uid_t euid, const char* xdg, bool in_user_namespace);

// For the $XDG_RUNTIME_DIR default, as runc's Before: made, and chmod 0700 plus the sticky bit
// (which keeps a session cleaner from removing it), so no other user can see or touch it.
sys::Status prepare_private_state_root(const std::string& root);

}  // namespace minirun::cmd
