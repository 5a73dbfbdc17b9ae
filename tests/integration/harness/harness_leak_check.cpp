#include "harness_leak_check.hpp"

#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace minirun::itest {
namespace fs = std::filesystem;

namespace {

// Other tools on the machine (other test runs, podman, containerd) mount and unmount all the
// time, some at paths naming minirun: only mounts inside our own scratch tree are ours. A
// runtime leaking a mount (a bind of the rootfs, propagation back to the host) leaks it there.
bool looks_like_ours(const std::string& mount_point) {
  return contains(mount_point, base_dir().string());
}

// Named network namespaces tests make (`ip netns add mr-it-<pid>-...`); others' are not ours.
bool netns_is_ours(const std::string& name) {
  return name.rfind("mr-it-" + std::to_string(getpid()) + "-", 0) == 0;
}

std::set<std::string> dir_entries(const fs::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.insert(e.path().string());
  return out;
}

std::string cmdline_of(pid_t pid) {
  std::string raw;
  try {
    raw = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  } catch (const std::exception&) {
    return "";
  }
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  return trim(raw);
}

// Fields after "(comm)" in /proc/PID/stat: state, ppid, pgrp.
bool read_state_and_group(pid_t pid, char& state, pid_t& pgrp) {
  std::string stat;
  try {
    stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const std::exception&) {
    return false;
  }
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(stat.substr(close + 1));
  pid_t ppid = 0;
  return static_cast<bool>(rest >> state >> ppid >> pgrp);
}

std::map<pid_t, std::string> our_processes() {
  std::map<pid_t, std::string> found;
  const TestRegistry& reg = registry();
  const std::string dir = test_dir().string();
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (pid == getpid()) continue;
    char state = '?';
    pid_t pgrp = 0;
    if (!read_state_and_group(pid, state, pgrp) || state == 'Z') continue;

    std::string reason;
    for (pid_t g : reg.process_groups) {
      if (g == pgrp) reason = "in a process group the test started";
    }
    const std::string cmd = cmdline_of(pid);
    if (contains(cmd, dir)) reason = "command line names the test directory";
    struct stat root {};
    if (stat(("/proc/" + name + "/root").c_str(), &root) == 0) {
      for (const auto& r : reg.rootfs_dirs) {
        if (r.dev == root.st_dev && r.ino == root.st_ino) reason = "runs in " + r.path;
      }
    }
    if (!reason.empty()) found[pid] = reason + ": " + cmd;
  }
  return found;
}

std::vector<std::string> cgroup_mount_points() {
  std::vector<std::string> out;
  for (const auto& m : host_mounts()) {
    if (m.fs_type == "cgroup" || m.fs_type == "cgroup2") out.push_back(m.mount_point);
  }
  return out;
}

std::set<std::string> our_cgroups() {
  // Runtimes create <hierarchy>/<id>, or nest it under the caller's own cgroup; tests may
  // nest it under a parent of their own.
  std::set<std::string> parents{"/"};
  for (const auto& p : registry().cgroup_parents) parents.insert(p);
  std::istringstream self(read_file("/proc/self/cgroup"));
  for (std::string line; std::getline(self, line);) {
    size_t colon = line.find(':', line.find(':') + 1);
    if (colon != std::string::npos) parents.insert(line.substr(colon + 1));
  }
  std::set<std::string> found;
  std::error_code ec;
  for (const auto& mount_point : cgroup_mount_points()) {
    for (const auto& parent : parents) {
      for (const auto& id : registry().container_ids) {
        fs::path p = fs::path(mount_point) / fs::path(parent).relative_path() / id;
        if (fs::is_directory(p, ec)) found.insert(p.string());
      }
    }
  }
  return found;
}

template <class T>
std::set<T> added(const std::set<T>& before, const std::set<T>& after) {
  std::set<T> out;
  for (const auto& x : after) {
    if (!before.count(x)) out.insert(x);
  }
  return out;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "\n    " + i;
  return out;
}

void kill_and_wait(const std::map<pid_t, std::string>& processes) {
  for (const auto& [pid, why] : processes) kill(pid, SIGKILL);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  for (const auto& [pid, why] : processes) {
    // A killed container init may stay a zombie until its new parent reaps it: that is gone.
    char state = '?';
    pid_t pgrp = 0;
    while (read_state_and_group(pid, state, pgrp) && state != 'Z' &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void delete_containers(const std::set<std::string>& state_entries) {
  RunOptions quick;
  quick.timeout = std::chrono::seconds(10);
  for (const auto& entry : state_entries) {
    fs::path p(entry);
    quick.state_root = p.parent_path().string();
    quick.binary = p.parent_path() == runc_state_root() ? kRuncPath : "";
    run_runtime({"delete", "--force", p.filename().string()}, quick);
  }
}

}  // namespace

LeakSnapshot take_leak_snapshot() {
  LeakSnapshot s;
  for (const auto& m : host_mounts()) {
    if (looks_like_ours(m.mount_point)) s.mounts.insert(m.mount_point);
  }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/run/netns", ec)) {
    if (netns_is_ours(e.path().filename().string())) s.netns.insert(e.path().filename().string());
  }
  s.state_entries = dir_entries(state_root());
  for (const auto& e : dir_entries(runc_state_root())) s.state_entries.insert(e);
  s.cgroups = our_cgroups();
  s.processes = our_processes();
  return s;
}

void LeakCheck::SetUp() {
  if (!is_root()) GTEST_SKIP() << "integration tests need root";
  for (int fd : registry().lingering_fds) close(fd);
  registry() = TestRegistry{};
  before_ = take_leak_snapshot();
  active_ = true;
}

void LeakCheck::delete_at_end(const std::string& id) {
  delete_at_end_.push_back(id);
}

void LeakCheck::TearDown() {
  if (!active_) return;
  RunOptions quick;
  quick.timeout = std::chrono::seconds(10);
  for (const auto& id : delete_at_end_) run_runtime({"delete", "--force", id}, quick);
  const LeakSnapshot leaks = leaks_between(before_, take_leak_snapshot());

  std::set<std::string> process_lines;
  for (const auto& [pid, what] : leaks.processes)
    process_lines.insert("pid " + std::to_string(pid) + " " + what);
  if (!process_lines.empty()) ADD_FAILURE() << "leaked processes:" << join(process_lines);
  if (!leaks.mounts.empty()) {
    ADD_FAILURE() << "leaked mounts (those outside " << base_dir().string()
                  << " are left in place):" << join(leaks.mounts);
  }
  if (!leaks.netns.empty()) {
    ADD_FAILURE() << "leaked network namespaces:" << join(leaks.netns);
  }
  if (!leaks.state_entries.empty())
    ADD_FAILURE() << "leaked state entries:" << join(leaks.state_entries);
  if (!leaks.cgroups.empty()) ADD_FAILURE() << "leaked cgroups:" << join(leaks.cgroups);

  remove_leaks(leaks);
  for (int fd : registry().lingering_fds) close(fd);
  registry().lingering_fds.clear();
  for (const auto& mount_point : cgroup_mount_points()) {
    for (const auto& parent : registry().cgroup_parents) {
      rmdir((fs::path(mount_point) / fs::path(parent).relative_path()).c_str());
    }
  }
  remove_tree(test_dir());
}

LeakSnapshot leaks_between(const LeakSnapshot& before, const LeakSnapshot& after) {
  LeakSnapshot leaks;
  for (const auto& [pid, what] : after.processes) {
    if (!before.processes.count(pid)) leaks.processes[pid] = what;
  }
  leaks.mounts = added(before.mounts, after.mounts);
  leaks.netns = added(before.netns, after.netns);
  leaks.state_entries = added(before.state_entries, after.state_entries);
  leaks.cgroups = added(before.cgroups, after.cgroups);
  return leaks;
}

std::vector<std::string> describe_leaks(const LeakSnapshot& leaks) {
  std::vector<std::string> out;
  for (const auto& [pid, what] : leaks.processes)
    out.push_back("process " + std::to_string(pid) + " " + what);
  for (const auto& m : leaks.mounts) out.push_back("mount " + m);
  for (const auto& n : leaks.netns) out.push_back("netns " + n);
  for (const auto& s : leaks.state_entries) out.push_back("state " + s);
  for (const auto& c : leaks.cgroups) out.push_back("cgroup " + c);
  return out;
}

void remove_leaks(const LeakSnapshot& leaks) {
  // Clean up in dependency order: the runtime's own delete first, then brute force. Only
  // what is provably this test's is touched: other tests or tools may run on the same
  // machine, so only mounts under base_dir() and netns named after this process are touched.
  delete_containers(leaks.state_entries);
  kill_and_wait(leaks.processes);
  for (auto it = leaks.mounts.rbegin(); it != leaks.mounts.rend(); ++it) {
    if (contains(*it, base_dir().string())) umount2(it->c_str(), MNT_DETACH);
  }
  for (const auto& name : leaks.netns) run_process({"ip", "netns", "delete", name});
  for (const auto& c : leaks.cgroups) rmdir(c.c_str());
  for (const auto& s : leaks.state_entries) remove_tree(s);
}

}  // namespace minirun::itest
