#include "runtime/cgroups/paths.hpp"

#include <algorithm>

#include "runtime/sys/paths_in_root.hpp"

namespace minirun::runtime {

std::string container_cgroup_path(const std::optional<std::string>& cgroups_path,
                                  const std::string& id, const std::string& own_path) {
  if (!cgroups_path || cgroups_path->empty()) return "/minirun/" + id;
  if ((*cgroups_path)[0] == '/') return clean_path(*cgroups_path);
  return clean_path(own_path + "/" + *cgroups_path);
}

std::string rootless_cgroup_path(const std::optional<std::string>& cgroups_path,
                                 const std::string& id, const std::string& own_path) {
  const std::string inner = !cgroups_path || cgroups_path->empty() ? id : *cgroups_path;
  // ".." stops at the top of the path itself, as runc's CleanPath cleans a relative one.
  const std::string cleaned = clean_path(inner);
  if (inner[0] == '/') return cleaned;
  return clean_path(parent_path(clean_path(own_path)) + cleaned);
}

std::string common_ancestor(const std::string& a, const std::string& b) {
  std::string ancestor = a;
  while (ancestor != "/" && !path_is_within(b, ancestor)) ancestor = parent_path(ancestor);
  return ancestor;
}

CgroupPaths resolve_cgroup_paths(const CgroupHost& host,
                                 const std::optional<std::string>& cgroups_path,
                                 const std::string& id) {
  CgroupPaths out;
  for (const auto& h : host.v1) {
    auto dir = h.dir_of(container_cgroup_path(cgroups_path, id, h.own_path));
    if (!dir) continue;
    for (const auto& controller : h.controllers) out[controller] = *dir;
  }
  if (host.unified) {
    auto dir =
        host.unified->dir_of(container_cgroup_path(cgroups_path, id, host.unified->own_path));
    if (dir) out[kUnifiedKey] = *dir;
  }
  return out;
}

std::vector<std::string> distinct_dirs(const CgroupPaths& paths) {
  std::vector<std::string> out;
  for (const auto& [key, dir] : paths)
    if (std::find(out.begin(), out.end(), dir) == out.end()) out.push_back(dir);
  return out;
}

}  // namespace minirun::runtime
