#include "runtime/rootfs/order.hpp"

#include <algorithm>

#include "runtime/rootfs/devices.hpp"
#include "runtime/sys/mountinfo.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "spec/sysctl_key.hpp"

namespace minirun::runtime {

namespace {

bool overlaps(const std::string& a, const std::string& b) {
  return path_is_within(a, b) || path_is_within(b, a);
}

bool overlaps_any(const std::string& path, const std::vector<std::string>& others) {
  return std::any_of(others.begin(), others.end(),
                     [&](const std::string& other) { return overlaps(path, other); });
}

// Splits `paths`, in their order, into those that go early and those that stay late: a path
// stays late when `movable` refuses it or when it overlaps a path that stays late.
template <typename Movable>
void split_paths(const std::vector<std::string>& paths, Movable movable,
                 std::vector<std::string>& early, std::vector<std::string>& late) {
  std::vector<std::string> clean;
  for (const auto& path : paths) clean.push_back(clean_path(path));
  std::vector<bool> stays(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) stays[i] = !movable(clean[i]);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < paths.size(); ++i)
      for (size_t j = 0; j < paths.size() && !stays[i]; ++j)
        if (stays[j] && overlaps(clean[i], clean[j])) stays[i] = changed = true;
  }
  early.clear();
  late.clear();
  for (size_t i = 0; i < paths.size(); ++i) (stays[i] ? late : early).push_back(paths[i]);
}

bool has_rootfs_hooks(const spec::Config& config) {
  if (!config.hooks) return false;
  const spec::Hooks& h = *config.hooks;
  return !h.prestart.empty() || !h.createRuntime.empty() || !h.createContainer.empty();
}

}  // namespace

bool mount_waits_for_parent(const NamespacePlan& plan, const spec::Mount& mount) {
  if (plan.new_user) return false;
  if (mount.type == "cgroup" || mount.type == "cgroup2") return true;
  return mount.type == "sysfs" && plan.net_by_parent();
}

RootfsStepOrder all_late(const spec::Config& config) {
  RootfsStepOrder order;
  if (config.linux) {
    order.late_readonly = config.linux->readonlyPaths;
    order.late_masked = config.linux->maskedPaths;
  }
  return order;
}

RootfsStepOrder order_rootfs_steps(const spec::Config& config, const NamespacePlan& plan) {
  static const spec::Linux no_linux;
  const spec::Linux& linux = config.linux ? *config.linux : no_linux;
  RootfsStepOrder order = all_late(config);

  const auto& mounts = config.mounts;
  auto first_wait = std::find_if(mounts.begin(), mounts.end(), [&](const spec::Mount& m) {
    return mount_waits_for_parent(plan, m);
  });
  if (first_wait == mounts.end() || has_rootfs_hooks(config)) return order;
  order.early_before_mount = static_cast<size_t>(first_wait - mounts.begin());

  // What is still to come once the early steps have run: the later mounts, the /dev set-up
  // when it cannot move (a later mount touches /dev), the console, the mkdir of process.cwd.
  std::vector<std::string> later;
  for (auto it = first_wait; it != mounts.end(); ++it) later.push_back(clean_path(it->destination));
  const bool dev_settled = !overlaps_any("/dev", later);
  order.dev_early = dev_settled && needs_dev_setup(config);
  if (!dev_settled && needs_dev_setup(config)) later.push_back("/dev");
  // A terminal's pty is bound on /dev/console after pivot_root, which a read-only /dev or
  // a mask there would refuse: runc sets the console up before those paths.
  if (config.process && config.process->terminal) later.push_back("/dev/console");
  const std::string cwd = clean_path(config.process ? config.process->cwd : "/");
  auto settled = [&](const std::string& path) {
    return !overlaps_any(path, later) && !path_is_within(cwd, path);
  };

  std::vector<std::string> sysctl_files;
  for (const auto& [key, value] : linux.sysctl)
    sysctl_files.push_back(clean_path("/proc/sys/" + spec::sysctl_key_path(key)));

  split_paths(
      linux.readonlyPaths,
      [&](const std::string& path) {
        return settled(path) &&
               std::none_of(sysctl_files.begin(), sysctl_files.end(),
                            [&](const std::string& file) { return path_is_within(file, path); });
      },
      order.early_readonly, order.late_readonly);
  std::vector<std::string> late_readonly;
  for (const auto& path : order.late_readonly) late_readonly.push_back(clean_path(path));
  split_paths(
      linux.maskedPaths,
      [&](const std::string& path) {
        return dev_settled && settled(path) && !overlaps_any(path, late_readonly);
      },
      order.early_masked, order.late_masked);

  if (!order.dev_early && order.early_readonly.empty() && order.early_masked.empty())
    order.early_before_mount.reset();
  return order;
}

}  // namespace minirun::runtime
