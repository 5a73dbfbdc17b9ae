// Which rootfs steps init may take ahead of its first wait for the parent. runc makes the
// device nodes and applies linux.readonlyPaths and linux.maskedPaths after every mount. Init
// waits for the parent (its cgroups, the network namespace the parent makes) before the first
// mount that needs them, usually sysfs; the steps that no later mount can change run before
// that wait instead of after it, which takes them off a start's critical path. Pure: unit
// tested.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "runtime/namespaces/namespaces.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct RootfsStepOrder {
  // The index in config.mounts before which the early steps run; nullopt: none run early.
  std::optional<size_t> early_before_mount;
  bool dev_early = false;  // the /dev nodes and links
  std::vector<std::string> early_readonly, early_masked;
  std::vector<std::string> late_readonly, late_masked;  // after the sysctls, as runc does
};

// True when init must wait for the parent before `mount`: a cgroup mount shows the cgroup
// namespace init enters once placed, sysfs shows the network namespace of its mounter. False
// in a new user namespace, where init waits for its id maps before anything else.
bool mount_waits_for_parent(const NamespacePlan& plan, const spec::Mount& mount);

// A step moves ahead of mount k only when none of config.mounts[k..] has its destination at,
// above or below the step's path, so the end state is runc's. The comparison is of the paths
// as written; init checks before the early steps that none of them meets a symlink in the
// rootfs, and falls back to all_late() if one does. Also:
// - process.cwd, made after the mounts, must not lie at or below an early path;
// - with a terminal, /dev/console counts as a later mount (the pty is bound there after
//   pivot_root);
// - a readonly path stays late when a sysctl is written below it (it is written first);
// - a masked path needs a final /dev/null, so /dev must be settled too;
// - an early path must not overlap a late path of its own list or a late readonly path, so
//   the order between overlapping paths stays runc's;
// - nothing moves when a prestart, createRuntime or createContainer hook runs: those run after
//   the mounts and may mount into the rootfs, and runc masks after them.
RootfsStepOrder order_rootfs_steps(const spec::Config& config, const NamespacePlan& plan);

// Every step in runc's place, nothing early: for a rootfs where the paths as written do not
// say where the mounts land (a symlink on the way, see prepare_rootfs).
RootfsStepOrder all_late(const spec::Config& config);

}  // namespace minirun::runtime
