#include "runtime/cgroups_host.hpp"

#include "runtime/paths_in_root.hpp"
#include "runtime/sys/file.hpp"

namespace minirun::runtime {

namespace {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

struct OwnLine {
  std::set<std::string> controllers;  // empty for the v2 line "0::/path"
  std::string path;
};

std::vector<OwnLine> parse_proc_cgroup(std::string_view text) {
  std::vector<OwnLine> out;
  for (const auto& line : split(text, '\n')) {
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    auto names = split(std::string_view(line).substr(first + 1, second - first - 1), ',');
    out.push_back({{names.begin(), names.end()}, line.substr(second + 1)});
  }
  return out;
}

// Among several mounts of one hierarchy: the one showing its root, under /sys/fs/cgroup,
// else the first.
int preference(const CgroupHierarchy& h) {
  return (h.root == "/" ? 2 : 0) + (path_is_within(h.mount_point, "/sys/fs/cgroup") ? 1 : 0);
}

void keep_better(std::optional<CgroupHierarchy>& slot, CgroupHierarchy candidate) {
  if (!slot || preference(candidate) > preference(*slot)) slot = std::move(candidate);
}

}  // namespace

std::optional<std::string> CgroupHierarchy::dir_of(const std::string& path) const {
  std::string clean = clean_path(path);
  if (!path_is_within(clean, root)) return std::nullopt;
  std::string rest = root == "/" ? clean : clean.substr(root.size());
  return clean_path(mount_point + "/" + rest);
}

std::set<std::string> v1_mount_controllers(std::string_view super_options) {
  static const std::set<std::string> kNotControllers = {"rw",
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
  for (auto& option : split(super_options, ',')) {
    if (kNotControllers.count(option) > 0) continue;
    if (option.find('=') != std::string::npos && option.rfind("name=", 0) != 0) continue;
    out.insert(option);
  }
  return out;
}

CgroupHost detect_cgroup_host(const std::vector<MountInfoEntry>& mounts,
                              std::string_view proc_self_cgroup) {
  auto own = parse_proc_cgroup(proc_self_cgroup);
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
  host.pure_v2 = host.unified && host.unified->mount_point == "/sys/fs/cgroup";
  return host;
}

sys::Result<CgroupHost> read_cgroup_host() {
  auto mounts = read_mountinfo("cgroup");
  if (!mounts) return mounts.error();
  auto own = sys::read_file("/proc/self/cgroup", "cgroup");
  if (!own) return own.error();
  return detect_cgroup_host(visible_mounts(*mounts), *own);
}

}  // namespace minirun::runtime
