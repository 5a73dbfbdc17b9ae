#include "runtime/cgroups/host.hpp"

#include <linux/magic.h>
#include <sys/statfs.h>

#include "runtime/sys/file.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kPureV2MountPoint = "/sys/fs/cgroup";

// Among several mounts of one hierarchy: the one showing its root, under /sys/fs/cgroup,
// else the first.
int preference(const CgroupHierarchy& h) {
  return (h.root == "/" ? 2 : 0) + (path_is_within(h.mount_point, "/sys/fs/cgroup") ? 1 : 0);
}

void keep_better(std::optional<CgroupHierarchy>& slot, CgroupHierarchy candidate) {
  if (!slot || preference(candidate) > preference(*slot)) slot = std::move(candidate);
}

}  // namespace

std::vector<OwnCgroup> parse_proc_self_cgroup(std::string_view text) {
  std::vector<OwnCgroup> out;
  for (auto line : spec::lines(text)) {
    size_t first = line.find(':');
    size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    OwnCgroup own{{}, std::string(line.substr(second + 1))};
    for (auto name : spec::split(line.substr(first + 1, second - first - 1), ','))
      own.controllers.emplace(name);
    out.push_back(std::move(own));
  }
  return out;
}

std::optional<std::string> CgroupHierarchy::dir_of(const std::string& path) const {
  std::string clean = clean_path(path);
  if (!path_is_within(clean, root)) return std::nullopt;
  std::string rest = root == "/" ? clean : clean.substr(root.size());
  return clean_path(mount_point + "/" + rest);
}

std::set<std::string> v1_mount_controllers(std::string_view super_options) {
  static const std::set<std::string, std::less<>> kNotControllers = {"rw",
                                                                     "ro",
                                                                     "noprefix",
                                                                     "clone_children",
                                                                     "xattr",
                                                                     "cpuset_v2_mode",
                                                                     "favordynmods",
                                                                     "nsdelegate",
                                                                     "memory_recursiveprot",
                                                                     "memory_localevents"};
  std::set<std::string> out;
  for (auto option : spec::split(super_options, ',')) {
    if (kNotControllers.count(option) > 0) continue;
    if (option.find('=') != std::string_view::npos && !option.starts_with("name=")) continue;
    out.emplace(option);
  }
  return out;
}

CgroupHost detect_cgroup_host(const std::vector<MountInfoEntry>& mounts,
                              std::string_view proc_self_cgroup) {
  auto own = parse_proc_self_cgroup(proc_self_cgroup);
  CgroupHost host;
  std::optional<CgroupHierarchy> unified;
  std::vector<std::optional<CgroupHierarchy>> v1;  // one per distinct controller set
  for (const auto& m : mounts) {
    if (m.fs_type == "cgroup2") {
      CgroupHierarchy h{m.mount_point, m.root, {}, "/"};
      for (const auto& line : own)
        if (line.controllers.empty()) h.own_path = line.path;
      keep_better(unified, std::move(h));
    } else if (m.fs_type == "cgroup") {
      CgroupHierarchy h{m.mount_point, m.root, v1_mount_controllers(m.super_options), "/"};
      if (h.controllers.empty()) continue;
      for (const auto& line : own)
        if (line.controllers == h.controllers) h.own_path = line.path;
      bool placed = false;
      for (auto& slot : v1) {
        if (slot->controllers != h.controllers) continue;
        keep_better(slot, h);
        placed = true;
      }
      if (!placed) v1.emplace_back(std::move(h));
    }
  }
  // On a pure v2 host a leftover v1 mount (e.g. name=systemd elsewhere) is still a v1
  // hierarchy; we keep it so the container joins it too.
  for (auto& slot : v1) host.v1.push_back(std::move(*slot));
  host.unified = std::move(unified);
  host.pure_v2 = host.unified && host.unified->mount_point == kPureV2MountPoint;
  return host;
}

CgroupHost pure_v2_host(std::string_view proc_self_cgroup) {
  CgroupHierarchy unified{kPureV2MountPoint, "/", {}, "/"};
  for (const auto& line : parse_proc_self_cgroup(proc_self_cgroup))
    if (line.controllers.empty()) unified.own_path = line.path;
  CgroupHost host;
  host.pure_v2 = true;
  host.unified = std::move(unified);
  return host;
}

bool host_is_pure_v2() {
  struct statfs sf {};
  return ::statfs(kPureV2MountPoint, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

sys::Result<CgroupHost> read_cgroup_host() {
  auto own = sys::read_file("/proc/self/cgroup", "cgroup");
  if (!own) return own.error();
  if (host_is_pure_v2()) return pure_v2_host(*own);
  auto mounts = read_mountinfo("cgroup");
  if (!mounts) return mounts.error();
  return detect_cgroup_host(visible_mounts(*mounts), *own);
}

}  // namespace minirun::runtime
