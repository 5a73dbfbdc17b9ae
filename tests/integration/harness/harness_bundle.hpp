// An OCI bundle for one test: a busybox rootfs and an editable config, removed when done.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace minirun::itest {

// What `runc spec` writes (runc 1.1), with process.terminal false and the given args.
nlohmann::json default_spec(const std::vector<std::string>& args = {"true"});

// Drops the linux.namespaces entry of that type (e.g. "network") from a config.
void remove_namespace(nlohmann::json& config, const std::string& type);

// The busybox rootfs every bundle starts from: built once per test process (busybox copied,
// one symlink per applet in /bin, /etc/passwd, /etc/group, /etc/hosts).
const std::filesystem::path& template_rootfs();

class Bundle {
 public:
  // A fresh bundle under the current test's directory. The rootfs is a private copy, so a
  // test may change it (bundle.rootfs() / "etc/motd") without affecting others.
  explicit Bundle(std::vector<std::string> args = {"true"});
  ~Bundle();
  Bundle(const Bundle&) = delete;
  Bundle& operator=(const Bundle&) = delete;

  // Edit freely; run_container() writes it before every run (or call write()).
  nlohmann::json config;
  // If set, written verbatim instead of `config` (for malformed-config tests).
  std::optional<std::string> raw_config;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path rootfs() const { return dir_ / "rootfs"; }
  std::filesystem::path config_path() const { return dir_ / "config.json"; }
  // A container ID unique within the test process; change it if a test needs another.
  std::string id;

  void write() const;

  // Shorthands for the most common edits.
  void set_args(std::vector<std::string> args);
  void set_shell(const std::string& script);  // args = sh -c SCRIPT
  void add_env(const std::string& key_equals_value);
  void remove_namespace(const std::string& type);  // e.g. "pid", "network"
  void add_namespace(const std::string& type);     // e.g. "cgroup" (as `minirun spec` has)
  void set_sysctl(const std::string& key, const std::string& value);

 private:
  std::filesystem::path dir_;
};

}  // namespace minirun::itest
