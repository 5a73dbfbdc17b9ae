// The filesystem half of the container init, in runc's order (reference/anchors.md §2.1 steps
// 4 and 6). Runs in the cloned child, already in its new mount namespace (or, without one, in
// the caller's: RootEntry::chroot_in_caller_ns), as root.
#pragma once

#include <functional>
#include <string>

#include "runtime/rootfs/masked_paths.hpp"
#include "runtime/rootfs/order.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// How init makes the rootfs its "/".
enum class RootEntry {
  pivot_root,  // the default, in a mount namespace of the container's own
  move_mount,  // --no-pivot: MS_MOVE of the rootfs onto "/", then chroot
  // No mount namespace of the container's own: every mount lands in the caller's mount table.
  // runc 1.1 chroots too (with or without --no-pivot here). Nothing outside the rootfs
  // changes: "/" and the rootfs's parent mount keep their propagation; the rootfs's bind onto
  // itself is made rprivate at once, so nothing init mounts on it reaches another namespace.
  // The parent detaches it all again (detach_rootfs_mounts).
  chroot_in_caller_ns,
};

// Where init's own steps slot into the rootfs set-up.
struct RootfsCallbacks {
  // Before each entry of config.mounts: where init makes sure the namespaces and cgroups a
  // mount depends on are final (a cgroup mount, sysfs).
  std::function<sys::Status(const spec::Mount&)> before_mount;
  std::function<sys::Status()> before_pivot;
  std::function<sys::Status()> after_pivot;
};

// 1. "/" becomes rslave (or linux.rootfsPropagation), recursively; the rootfs's mount becomes
//    private if it is shared; the rootfs is bound onto itself. In the caller's mount namespace
//    only the bind, made rprivate.
// 2. config.mounts in order, each target resolved inside the rootfs (see config_mounts.hpp),
//    each after before_mount(mount). Before mount order.early_before_mount: the /dev nodes
//    (order.dev_early), order.early_readonly, order.early_masked; or, when a symlink in the
//    rootfs meets one of the paths, `order` becomes all_late() and the caller applies them all.
// 3. /dev: nodes, symlinks (unless the config bind-mounts /dev, or they were made early);
//    process.cwd is created.
// 4. before_pivot() (the createContainer hooks), with the rootfs as working directory.
// 5. pivot_root(".", ".") and the old root detached; or MS_MOVE + chroot; or chroot alone
//    (see RootEntry).
// 6. linux.rootfsPropagation again on the new "/" (but "unbindable" and "runbindable", which
//    step 1 took as "private" and "rprivate": see finish_root_propagation); stdio on /dev/null
//    re-pointed at the container's /dev/null.
// 7. after_pivot(), if given: the slot where runc sets up the console, while /dev is writable.
// 8. Read-only remount of a read-only /dev tmpfs, then of "/" if root.readonly.
// `rootfs` is the host path of the root filesystem, absolute and without symlinks (load_bundle
// resolved it). Errors have steps "mount",
// "devices" or "pivot_root", or whatever the callbacks return.
sys::Status prepare_rootfs(const spec::Config& config, const std::string& rootfs, RootEntry entry,
                           RootfsStepOrder& order, const RootfsCallbacks& callbacks);

// linux.rootfsPropagation "unbindable" or "runbindable" on "/", once init has made its last
// bind (the readonly and masked paths come after prepare_rootfs): an unbindable mount cannot be
// the source of a bind, so it must come after them. Nothing for the other values.
sys::Status finish_root_propagation(const spec::Config& config);

// The parent's side of RootEntry::chroot_in_caller_ns, where init's mounts are the caller's:
// the mount ID (statx STATX_MNT_ID) of what `path` resolves to, taken before init starts ...
sys::Result<uint64_t> mount_id_of(const std::string& path);
// ... and, when the container is done with them (delete, the end of a foreground run, a
// failed create), every mount stacked on the rootfs path above that one detached (MNT_DETACH):
// the rootfs's bind onto itself with all init mounted on it, and whatever the container
// stacked on its "/" since. Stops at `below`, when `below` is no longer mounted (what is at the
// path then is not ours), or when the path is no mount point or gone.
sys::Status detach_rootfs_mounts(const std::string& rootfs, uint64_t below);

}  // namespace minirun::runtime
