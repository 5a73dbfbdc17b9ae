#include "spec/default_spec.hpp"

#include <nlohmann/json.hpp>

namespace minirun::spec {

namespace {

// ordered_json keeps runc's key order, so the file reads the same as runc's.
using ojson = nlohmann::ordered_json;

ojson mount(const char* destination, const char* type, const char* source,
            std::initializer_list<const char*> options) {
  ojson m{{"destination", destination}, {"type", type}, {"source", source}};
  if (options.size() > 0) m["options"] = std::vector<std::string>(options.begin(), options.end());
  return m;
}

ojson process() {
  const std::vector<std::string> caps{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return {
      {"terminal", true},
      {"user", {{"uid", 0}, {"gid", 0}}},
      {"args", {"sh"}},
      {"env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
      {"cwd", "/"},
      {"capabilities",
       {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
      {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
      {"noNewPrivileges", true},
  };
}

ojson mounts(bool rootless) {
  ojson devpts =
      rootless ? mount("/dev/pts", "devpts", "devpts",
                       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"})
               : mount("/dev/pts", "devpts", "devpts",
                       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"});
  // runc's rootless config binds the host's /sys, for it drops the network namespace and
  // sysfs mounts only in a netns the user namespace owns; minirun's keeps it, so a real one.
  ojson sys = mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"});
  return {
      mount("/proc", "proc", "proc", {}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      devpts,
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      sys,
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
  };
}

ojson namespaces(bool rootless) {
  ojson list = ojson::array();
  // Rootless keeps "network", unlike runc's: the container's own netns, owned by its user
  // namespace, gets lo and takes net.* sysctls (docs/runc-differences.md).
  for (const char* type : {"pid", "network", "ipc", "uts", "mount", "cgroup"})
    list.push_back({{"type", type}});
  if (rootless) list.push_back({{"type", "user"}});
  return list;
}

ojson linux_section(bool rootless, uint32_t uid, uint32_t gid) {
  ojson l = ojson::object();
  if (rootless) {
    l["uidMappings"] = {{{"containerID", 0}, {"hostID", uid}, {"size", 1}}};
    l["gidMappings"] = {{{"containerID", 0}, {"hostID", gid}, {"size", 1}}};
  } else {
    l["resources"] = {{"devices", {{{"allow", false}, {"access", "rwm"}}}}};
  }
  l["namespaces"] = namespaces(rootless);
  l["maskedPaths"] = {"/proc/acpi",        "/proc/asound",        "/proc/kcore",
                      "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
                      "/proc/timer_stats", "/proc/sched_debug",   "/sys/firmware",
                      "/proc/scsi"};
  l["readonlyPaths"] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
  return l;
}

std::string spec_json(bool rootless, uint32_t uid, uint32_t gid) {
  ojson spec{
      {"ociVersion", "1.0.2-dev"},
      {"process", process()},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "minirun"},
      {"mounts", mounts(rootless)},
      {"linux", linux_section(rootless, uid, gid)},
  };
  return spec.dump(1, '\t');
}

}  // namespace

std::string default_spec_json() {
  return spec_json(false, 0, 0);
}

std::string rootless_spec_json(uint32_t host_uid, uint32_t host_gid) {
  return spec_json(true, host_uid, host_gid);
}

}  // namespace minirun::spec
