// Self-contained helpers for the exec and hooks integration tests: a busybox bundle in a temp
// dir, a private state root, and running the built binary. Everything is removed afterwards.
// (The shared harness on the `tests` branch may replace this.)
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

namespace minirun_it {

struct Output {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::string& path, const std::string& text, mode_t mode = 0644) {
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

// Runs a shell command line; stdout and stderr captured apart.
inline Output shell(const std::string& command, const std::string& scratch_dir) {
  std::string out_file = scratch_dir + "/.out", err_file = scratch_dir + "/.err";
  std::string line = "(" + command + ") >" + out_file + " 2>" + err_file + " </dev/null";
  int status = std::system(line.c_str());
  Output o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.out = read_text(out_file);
  o.err = read_text(err_file);
  return o;
}

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A temp dir holding a busybox bundle (B/) and a state root (root/).
class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root";
    if (!exists("/bin/busybox")) GTEST_SKIP() << "needs busybox-static";
    char tmpl[] = "/tmp/minirun-exec-it-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    bundle_ = dir_ + "/B";
    root_ = dir_ + "/root";
    std::string rootfs = bundle_ + "/rootfs";
    ASSERT_EQ(sh("mkdir -p " + rootfs + "/bin " + rootfs + "/proc " + rootfs + "/sys " + rootfs +
                 "/dev " + rootfs + "/etc " + rootfs + "/tmp && cp /bin/busybox " + rootfs +
                 "/bin/ && chroot " + rootfs + " /bin/busybox --install -s /bin && cd " + bundle_ +
                 " && " + MINIRUN_BINARY + " spec")
                  .code,
              0);
    config_ = nlohmann::json::parse(read_text(bundle_ + "/config.json"));
    config_["process"]["terminal"] = false;
    config_["process"]["args"] = {"sleep", "1000"};
  }

  void TearDown() override {
    if (dir_.empty()) return;
    for (const auto& id : ids_) sh(minirun("delete --force " + id));
    sh("rm -rf " + quote(dir_));
  }

  Output sh(const std::string& command) { return shell(command, dir_.empty() ? "/tmp" : dir_); }

  // "minirun --root <root> <args>"
  std::string minirun(const std::string& args) const {
    return std::string(MINIRUN_BINARY) + " --root " + root_ + " " + args;
  }

  void save_config() { write_text(bundle_ + "/config.json", config_.dump(1)); }

  // Remembers the ID for clean-up, then runs a minirun command.
  Output run(const std::string& id, const std::string& args) {
    ids_.push_back(id);
    return sh(minirun(args));
  }

  nlohmann::json state(const std::string& id) {
    auto o = sh(minirun("state " + id));
    if (o.code != 0) return {};
    return nlohmann::json::parse(o.out);
  }

  bool wait_for_status(const std::string& id, const std::string& status, int ms = 5000) {
    for (int waited = 0; waited < ms; waited += 20) {
      auto s = state(id);
      if (!s.is_null() && s["status"] == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::string dir_, bundle_, root_;
  nlohmann::json config_;
  std::vector<std::string> ids_;
};

}  // namespace minirun_it
