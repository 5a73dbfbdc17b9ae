#include "harness_bundle.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <stdexcept>

#include "harness.hpp"

namespace minirun::itest {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path find_busybox() {
  for (const char* p : {"/bin/busybox", "/usr/bin/busybox"}) {
    if (access(p, X_OK) == 0) return p;
  }
  throw std::runtime_error("busybox not found: apt-get install busybox-static");
}

void build_template(const fs::path& root) {
  for (const char* d : {"bin", "proc", "sys", "dev", "etc", "tmp", "root"}) {
    fs::create_directories(root / d);
  }
  fs::permissions(root / "tmp", fs::perms::all | fs::perms::sticky_bit);
  const fs::path busybox = find_busybox();
  fs::copy_file(busybox, root / "bin/busybox", fs::copy_options::overwrite_existing);
  // `busybox --install -s` would link to the host path of busybox; relative links work
  // inside the container.
  RunResult list = run_process({busybox.string(), "--list"});
  if (list.exit_code != 0) throw std::runtime_error("busybox --list failed");
  for (const auto& applet : list.out_lines()) {
    if (applet.empty() || applet == "busybox") continue;
    fs::create_symlink("busybox", root / "bin" / applet);
  }
  write_file(root / "etc/passwd",
             "root:x:0:0:root:/root:/bin/sh\n"
             "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
  write_file(root / "etc/group", "root:x:0:\nnobody:x:65534:\n");
  write_file(root / "etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
}

// Symlinks are hard-linked: creating ~400 applet symlinks costs ~100 ms on ext4, a link is
// nearly free, and a container cannot change a shared symlink, only replace its own entry.
// Regular files are copied so a test that writes to its rootfs cannot touch the template.
void copy_rootfs(const fs::path& from, const fs::path& to) {
  fs::create_directory(to, from);
  for (const auto& e : fs::recursive_directory_iterator(from)) {
    const fs::path target = to / e.path().lexically_relative(from);
    if (e.is_symlink()) {
      fs::create_hard_link(e.path(), target);
    } else if (e.is_directory()) {
      fs::create_directory(target, e.path());
    } else {
      fs::copy_file(e.path(), target);
    }
  }
}

json default_capabilities() {
  return json::array({"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"});
}

}  // namespace

json default_spec(const std::vector<std::string>& args) {
  const json caps = default_capabilities();
  return {
      {"ociVersion", "1.0.2-dev"},
      {"process",
       {{"terminal", false},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", args},
        {"env",
         {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
        {"cwd", "/"},
        {"capabilities",
         {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
        {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
        {"noNewPrivileges", true}}},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "runc"},
      {"mounts",
       {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
        {{"destination", "/dev"},
         {"type", "tmpfs"},
         {"source", "tmpfs"},
         {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
        {{"destination", "/dev/pts"},
         {"type", "devpts"},
         {"source", "devpts"},
         {"options", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}}},
        {{"destination", "/dev/shm"},
         {"type", "tmpfs"},
         {"source", "shm"},
         {"options", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}}},
        {{"destination", "/dev/mqueue"},
         {"type", "mqueue"},
         {"source", "mqueue"},
         {"options", {"nosuid", "noexec", "nodev"}}},
        {{"destination", "/sys"},
         {"type", "sysfs"},
         {"source", "sysfs"},
         {"options", {"nosuid", "noexec", "nodev", "ro"}}},
        {{"destination", "/sys/fs/cgroup"},
         {"type", "cgroup"},
         {"source", "cgroup"},
         {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}}}},
      {"linux",
       {{"resources", {{"devices", {{{"allow", false}, {"access", "rwm"}}}}}},
        {"namespaces",
         {{{"type", "pid"}},
          {{"type", "network"}},
          {{"type", "ipc"}},
          {{"type", "uts"}},
          {{"type", "mount"}}}},
        {"maskedPaths",
         {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
          "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
          "/proc/scsi"}},
        {"readonlyPaths",
         {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}}}}};
}

const fs::path& template_rootfs() {
  static std::once_flag once;
  static fs::path root;
  std::call_once(once, [] {
    fs::path dir = base_dir() / "template-rootfs";
    fs::path building = base_dir() / "template-rootfs.tmp";
    remove_tree(building);
    build_template(building);
    fs::rename(building, dir);
    root = dir;
  });
  return root;
}

Bundle::Bundle(std::vector<std::string> args) : config(default_spec(args)) {
  static int counter = 0;
  ++counter;
  id = "it-" + std::to_string(getpid()) + "-" + std::to_string(counter);
  dir_ = test_dir() / ("bundle-" + std::to_string(counter));
  remove_tree(dir_);
  fs::create_directories(dir_);
  copy_rootfs(template_rootfs(), rootfs());

  struct stat st {};
  if (stat(rootfs().c_str(), &st) == 0) {
    registry().rootfs_dirs.push_back({st.st_dev, st.st_ino, rootfs().string()});
  }
  registry().container_ids.push_back(id);
}

Bundle::~Bundle() {
  remove_tree(dir_);
}

void Bundle::write() const {
  write_file(config_path(), raw_config ? *raw_config : config.dump(2));
}

void Bundle::set_args(std::vector<std::string> args) {
  config["process"]["args"] = std::move(args);
}

void Bundle::set_shell(const std::string& script) {
  set_args({"sh", "-c", script});
}

void Bundle::add_env(const std::string& key_equals_value) {
  config["process"]["env"].push_back(key_equals_value);
}

void remove_namespace(json& config, const std::string& type) {
  json& ns = config["linux"]["namespaces"];
  json kept = json::array();
  for (const auto& n : ns) {
    if (n.value("type", "") != type) kept.push_back(n);
  }
  ns = kept;
}

void Bundle::remove_namespace(const std::string& type) {
  itest::remove_namespace(config, type);
}

void Bundle::add_namespace(const std::string& type) {
  config["linux"]["namespaces"].push_back({{"type", type}});
}

void Bundle::set_sysctl(const std::string& key, const std::string& value) {
  config["linux"]["sysctl"][key] = value;
}

}  // namespace minirun::itest
