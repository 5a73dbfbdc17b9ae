#include "runtime/exec_cgroups.hpp"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/mountinfo.hpp"
#include "runtime/sys/file.hpp"

namespace minirun::runtime {

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, sep)) out.push_back(part);
  return out;
}

// The v1 hierarchy mounted with exactly these controllers ("cpu,cpuacct", "name=systemd"),
// or the cgroup2 mount for an empty list.
const MountInfoEntry* hierarchy_mount(const std::vector<MountInfoEntry>& mounts,
                                      const std::string& controllers) {
  for (const auto& m : mounts) {
    if (controllers.empty()) {
      if (m.fs_type == "cgroup2") return &m;
      continue;
    }
    if (m.fs_type != "cgroup") continue;
    auto options = split(m.super_options, ',');
    bool all = true;
    for (const auto& c : split(controllers, ','))
      all = all && std::find(options.begin(), options.end(), c) != options.end();
    if (all) return &m;
  }
  return nullptr;
}

}  // namespace

sys::Status join_cgroups_of(pid_t source, pid_t target) {
  auto text = sys::read_file("/proc/" + std::to_string(source) + "/cgroup", "cgroups");
  if (!text) return text.error();
  auto mounts = read_mountinfo("cgroups");
  if (!mounts) return mounts.error();
  for (const auto& line : split(*text, '\n')) {
    // "4:cpu,cpuacct:/path" or "0::/path"
    auto first = line.find(':');
    auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    const MountInfoEntry* mount = hierarchy_mount(*mounts, controllers);
    if (mount == nullptr || !path_is_within(path, mount->root)) continue;
    std::string relative = mount->root == "/" ? path : path.substr(mount->root.size());
    std::string procs = mount->mount_point + relative + "/cgroup.procs";
    MR_TRY(sys::write_file(procs, std::to_string(target), "cgroups"));
  }
  return {};
}

}  // namespace minirun::runtime
