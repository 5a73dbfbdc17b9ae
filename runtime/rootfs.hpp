// The filesystem half of the container init, in runc's order (reference/anchors.md §2.1 steps
// 4 and 6). Runs in the cloned child, already in its new mount namespace, as root.
#pragma once

#include <functional>
#include <string>

#include "runtime/masked_paths.hpp"
#include "runtime/rootfs_order.hpp"
#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// Where init's own steps slot into the rootfs set-up.
struct RootfsCallbacks {
  // Before each entry of config.mounts: where init makes sure the namespaces and cgroups a
  // mount depends on are final (a cgroup mount, sysfs).
  std::function<sys::Status(const spec::Mount&)> before_mount;
  std::function<sys::Status()> before_pivot;
  std::function<sys::Status()> after_pivot;
};

// 1. "/" becomes rslave (or linux.rootfsPropagation), recursively; the rootfs's mount becomes
//    private if it is shared; the rootfs is bound onto itself.
// 2. config.mounts in order, each target resolved inside the rootfs (see config_mounts.hpp),
//    each after before_mount(mount). Before mount order.early_before_mount: the /dev nodes
//    (order.dev_early), order.early_readonly, order.early_masked; or, when a symlink in the
//    rootfs meets one of the paths, `order` becomes all_late() and the caller applies them all.
// 3. /dev: nodes, symlinks (unless the config bind-mounts /dev, or they were made early);
//    process.cwd is created.
// 4. before_pivot() (the createContainer hooks), with the rootfs as working directory.
// 5. pivot_root(".", ".") and the old root detached; or, with no_pivot, MS_MOVE + chroot.
// 6. linux.rootfsPropagation again on the new "/" (but "unbindable" and "runbindable", which
//    step 1 took as "private" and "rprivate": see finish_root_propagation); stdio on /dev/null
//    re-pointed at the container's /dev/null.
// 7. after_pivot(), if given: the slot where runc sets up the console, while /dev is writable.
// 8. Read-only remount of a read-only /dev tmpfs, then of "/" if root.readonly.
// `rootfs` is the host path of the root filesystem, absolute and without symlinks (load_bundle
// resolved it). Errors have steps "mount",
// "devices" or "pivot_root", or whatever the callbacks return.
sys::Status prepare_rootfs(const spec::Config& config, const std::string& rootfs, bool no_pivot,
                           RootfsStepOrder& order, const RootfsCallbacks& callbacks);

// linux.rootfsPropagation "unbindable" or "runbindable" on "/", once init has made its last
// bind (the readonly and masked paths come after prepare_rootfs): an unbindable mount cannot be
// the source of a bind, so it must come after them. Nothing for the other values.
sys::Status finish_root_propagation(const spec::Config& config);

}  // namespace minirun::runtime
