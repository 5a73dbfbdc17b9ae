#include "runtime/cgroups/cgroups.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "runtime/cgroups/device_filter.hpp"
#include "runtime/cgroups/freezer.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "runtime/sys/trace.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "cgroup";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Every directory from just below mount_point down to dir, top first.
std::vector<std::string> levels_below(const std::string& mount_point, const std::string& dir) {
  std::vector<std::string> out;
  for (std::string d = dir; d != mount_point && d.size() > mount_point.size(); d = parent_path(d))
    out.push_back(d);
  std::reverse(out.begin(), out.end());
  return out;
}

const CgroupHierarchy* hierarchy_of(const CgroupHost& host, const std::string& key) {
  if (key == kUnifiedKey) return host.unified ? &*host.unified : nullptr;
  for (const auto& h : host.v1)
    if (h.controllers.count(key) > 0) return &h;
  return nullptr;
}

// A new v1 cpuset is empty, and nothing can join it until it has cpus and mems.
sys::Status fill_cpuset(const std::string& dir) {
  for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
    auto own = sys::read_file(dir + "/" + file, kStep);
    if (!own) return own.error();
    if (!trimmed(*own).empty()) continue;
    auto parent = sys::read_file(parent_path(dir) + "/" + file, kStep);
    if (!parent) return parent.error();
    MR_TRY(sys::write_file(dir + "/" + file, trimmed(*parent), kStep));
  }
  return {};
}

// The names a cgroup2 list file holds (cgroup.controllers, cgroup.subtree_control); none when
// it cannot be read.
std::set<std::string> words_in(const std::string& file) {
  std::set<std::string> out;
  if (auto text = sys::read_file(file, kStep))
    for (auto word : spec::words(*text)) out.emplace(word);
  return out;
}

// cgroup2 gives a child only the controllers its parent enables in cgroup.subtree_control.
// Only the missing ones are written, all in one write: every write to subtree_control makes
// the kernel re-apply the controllers under a global lock, which cost up to milliseconds per
// container start when each controller was written again every time. `available` is dir's
// cgroup.controllers; what this returns is its children's, for the kernel makes a cgroup's
// cgroup.controllers its parent's subtree_control (no read of each level's file).
std::set<std::string> enable_subtree_controllers(const std::string& dir,
                                                 const std::set<std::string>& available) {
  std::set<std::string> enabled = read_v2_subtree_control(dir);
  std::vector<std::string> missing;
  for (const auto& controller : available)
    if (enabled.count(controller) == 0) missing.push_back(controller);
  if (missing.empty()) return enabled;
  std::string all;
  for (const auto& m : missing) all += (all.empty() ? "+" : " +") + m;
  if (sys::write_file(dir + "/cgroup.subtree_control", all, kStep)) {
    enabled.insert(missing.begin(), missing.end());
    return enabled;
  }
  // One controller the kernel refuses here must not keep the others off.
  for (const auto& m : missing)
    if (sys::write_file(dir + "/cgroup.subtree_control", "+" + m, kStep)) enabled.insert(m);
  return enabled;
}

// mkdir -p, remembering what it made (top first) so a failure can undo it.
sys::Status make_dirs(const std::vector<std::string>& levels, std::vector<std::string>& made) {
  for (const auto& level : levels) {
    if (mkdir(level.c_str(), 0755) == 0) {
      made.push_back(level);
    } else if (errno != EEXIST) {
      return sys::Error::from_errno(kStep, "mkdir " + level);
    }
  }
  return {};
}

sys::Status prepare_dir(const CgroupPlan& plan, const std::string& key, const std::string& dir,
                        std::vector<std::string>& made) {
  const CgroupHierarchy* h = hierarchy_of(plan.host, key);
  if (!h) return sys::Error::plain(kStep, "no hierarchy holds " + dir);
  auto levels = levels_below(h->mount_point, dir);
  if (key == kUnifiedKey) {
    auto available = enable_subtree_controllers(h->mount_point, plan.v2_controllers);
    for (size_t i = 0; i < levels.size(); ++i) {
      std::vector<std::string> one = {levels[i]};
      MR_TRY(make_dirs(one, made));
      if (i + 1 < levels.size()) available = enable_subtree_controllers(levels[i], available);
    }
    return {};
  }
  MR_TRY(make_dirs(levels, made));
  if (h->controllers.count("cpuset") > 0)
    for (const auto& level : levels) MR_TRY(fill_cpuset(level));
  return {};
}

void remove_tree(const std::string& dir) {
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (e->d_type == DT_DIR && name != "." && name != "..") remove_tree(dir + "/" + name);
    }
    closedir(d);
  }
  // EBUSY while killed tasks finish exiting: poll finely, the usual wait is well under 1 ms.
  for (int attempt = 0; attempt < 2000; ++attempt) {
    if (rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
    if (errno != EBUSY) return;
    usleep(1000);
  }
}

void collect_pids(const std::string& dir, std::vector<pid_t>& out) {
  if (auto procs = sys::read_file(dir + "/cgroup.procs", kStep)) {
    for (auto word : spec::words(*procs)) {
      auto pid = spec::to_u64(word);
      if (pid && std::find(out.begin(), out.end(), pid_t(*pid)) == out.end()) out.push_back(*pid);
    }
  }
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (e->d_type == DT_DIR && name != "." && name != "..") collect_pids(dir + "/" + name, out);
    }
    closedir(d);
  }
}

}  // namespace

std::set<std::string> read_v2_controllers(const std::string& dir) {
  return words_in(dir + "/cgroup.controllers");
}

std::set<std::string> read_v2_subtree_control(const std::string& dir) {
  return words_in(dir + "/cgroup.subtree_control");
}

sys::Result<CgroupPlan> plan_cgroups_for(const CgroupHost& host,
                                         const std::set<std::string>& v2_controllers,
                                         const spec::Config& config, const std::string& id) {
  const spec::Linux empty;
  const spec::Linux& linux = config.linux ? *config.linux : empty;
  CgroupPlan plan;
  plan.host = host;
  plan.v2_controllers = v2_controllers;
  plan.paths = resolve_cgroup_paths(host, linux.cgroupsPath, id);
  if (plan.paths.empty())
    return sys::Error::plain(kStep,
                             "no cgroup hierarchy is mounted (looked in /proc/self/mountinfo)");
  spec::Resources resources = linux.resources ? *linux.resources : spec::Resources{};
  resources.devices = effective_device_rules(linux);
  CgroupLayout layout{plan.paths, v2_controllers};
  auto writes = plan_resource_writes(layout, resources);
  if (!writes) return writes.error();
  plan.writes = std::move(*writes);
  if (needs_v2_device_program(layout, resources)) plan.v2_device_rules = resources.devices;
  return plan;
}

sys::Result<CgroupPlan> plan_cgroups(const spec::Config& config, const std::string& id) {
  auto host = read_cgroup_host();
  if (!host) return host.error();
  std::set<std::string> v2;
  if (host->unified) {
    // What the hierarchy's root offers is what a new cgroup below it can get.
    v2 = read_v2_controllers(host->unified->mount_point);
  }
  return plan_cgroups_for(*host, v2, config, id);
}

sys::Status create_cgroups(const CgroupPlan& plan) {
  std::vector<std::string> made;
  auto done = [&]() -> sys::Status {
    std::vector<std::string> prepared;
    for (const auto& [key, dir] : plan.paths) {
      if (std::find(prepared.begin(), prepared.end(), dir) != prepared.end()) continue;
      prepared.push_back(dir);
      MR_TRY(prepare_dir(plan, key, dir, made));
    }
    MR_TRY(traced("cgroups", "resources", [&] { return apply_writes(plan.writes); }));
    if (!plan.v2_device_rules.empty())
      MR_TRY(traced("cgroups", "device filter (eBPF)", [&] {
        return attach_device_filter(plan.paths.at(kUnifiedKey), plan.v2_device_rules);
      }));
    return {};
  }();
  if (!done)
    for (auto it = made.rbegin(); it != made.rend(); ++it) rmdir(it->c_str());
  return done;
}

sys::Status create_and_join(const CgroupPlan& plan, pid_t pid) {
  MR_TRY(create_cgroups(plan));
  // pid is killed by the caller on failure; the directories go once it is gone.
  return traced("cgroups", "join", [&] { return join_cgroups(plan.paths, pid); });
}

CgroupPaths without_unified(const CgroupPaths& paths) {
  CgroupPaths rest = paths;
  rest.erase(kUnifiedKey);
  return rest;
}

sys::Status join_cgroups(const CgroupPaths& paths, pid_t pid) {
  for (const auto& dir : distinct_dirs(paths))
    MR_TRY(sys::write_file(dir + "/cgroup.procs", std::to_string(pid), kStep));
  return {};
}

namespace {

// memory.checkBeforeUpdate, as runc 1.2's CheckMemoryUsage: a limit (or memory+swap limit) at
// or below what the container uses now is refused; an unreadable usage lets it through. runc
// checks on cgroup v2 only; the v1 usage file works the same way, so both are checked.
sys::Status check_memory_usage(const CgroupPaths& paths, const spec::Resources& r) {
  if (!r.memory || !r.memory->checkBeforeUpdate.value_or(false)) return {};
  const int64_t limit = r.memory->limit.value_or(0), swap = r.memory->swap.value_or(0);
  if (limit <= 0 && swap <= 0) return {};
  std::string file;
  if (auto v2 = paths.find(kUnifiedKey); paths.count("memory") == 0 && v2 != paths.end())
    file = v2->second + "/memory.current";
  else if (auto v1 = paths.find("memory"); v1 != paths.end())
    file = v1->second + "/memory.usage_in_bytes";
  if (file.empty()) return {};
  auto text = sys::read_file(file, kStep);
  if (!text) return {};
  const uint64_t usage = spec::to_u64(trimmed(*text)).value_or(0);
  if (usage == 0) return {};
  if (swap > 0 && static_cast<uint64_t>(swap) <= usage)
    return sys::Error::plain(kStep, "rejecting memory+swap limit " + std::to_string(swap) +
                                        " <= usage " + std::to_string(usage));
  if (limit > 0 && static_cast<uint64_t>(limit) <= usage)
    return sys::Error::plain(kStep, "rejecting memory limit " + std::to_string(limit) +
                                        " <= usage " + std::to_string(usage));
  return {};
}

}  // namespace

sys::Status update_resources(const CgroupPaths& paths, const spec::Resources& resources) {
  MR_TRY(check_memory_usage(paths, resources));
  CgroupLayout layout{paths, {}};
  if (auto unified = paths.find(kUnifiedKey); unified != paths.end())
    layout.v2_controllers = read_v2_controllers(unified->second);
  auto writes = plan_resource_writes(layout, resources);
  if (!writes) return writes.error();
  return apply_writes(*writes);
}

sys::Result<std::vector<pid_t>> cgroup_pids(const CgroupPaths& paths) {
  // Any hierarchy holds every process; prefer one that is always there.
  std::string dir;
  for (const char* key : {"pids", "freezer", "memory", "cpu", "name=systemd", kUnifiedKey})
    if (auto it = paths.find(key); it != paths.end() && dir.empty()) dir = it->second;
  if (dir.empty() && !paths.empty()) dir = paths.begin()->second;
  if (dir.empty()) return sys::Error::plain(kStep, "the container has no cgroup");
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) return sys::Error::from_errno(kStep, "stat " + dir);
  std::vector<pid_t> out;
  collect_pids(dir, out);
  return out;
}

namespace {

sys::Status signal_frozen(const CgroupPaths& paths, int sig,
                          const std::function<sys::Result<std::vector<pid_t>>()>& find_pids) {
  bool was_frozen = cgroup_frozen(paths);
  bool froze = !was_frozen && freeze_cgroup(paths).ok();
  auto pids = find_pids();
  if (pids)
    for (pid_t pid : *pids) kill(pid, sig);
  // A frozen task only dies of SIGKILL once thawed (v1).
  if (froze || (was_frozen && sig == SIGKILL)) (void)thaw_cgroup(paths);
  if (!pids) return pids.error();
  return {};
}

}  // namespace

sys::Status signal_all(const CgroupPaths& paths, int sig) {
  return signal_frozen(paths, sig, [&] { return cgroup_pids(paths); });
}

sys::Status signal_all_in_every_hierarchy(const CgroupPaths& paths, int sig) {
  return signal_frozen(paths, sig, [&]() -> sys::Result<std::vector<pid_t>> {
    std::vector<pid_t> pids;
    for (const auto& dir : distinct_dirs(paths)) collect_pids(dir, pids);
    return pids;
  });
}

sys::Status remove_cgroups(const CgroupPaths& paths) {
  for (const auto& dir : distinct_dirs(paths)) remove_tree(dir);
  for (const auto& dir : distinct_dirs(paths)) {
    struct stat st {};
    if (stat(dir.c_str(), &st) == 0)
      return sys::Error::plain(kStep, "could not remove " + dir + " (still busy)");
  }
  return {};
}

bool remove_empty_cgroups(const CgroupPaths& paths) {
  bool all = true;
  for (const auto& dir : distinct_dirs(paths)) all &= rmdir(dir.c_str()) == 0 || errno == ENOENT;
  return all;
}

}  // namespace minirun::runtime
