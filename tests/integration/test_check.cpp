// `minirun check` must give run's answer: same config, same exit status, same message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CheckAgreesWithRun : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root";
    char tmpl[] = "/tmp/minirun-check-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fs::path rootfs = dir_ / "bundle" / "rootfs";
    fs::create_directories(rootfs / "bin");
    for (const char* d : {"proc", "sys", "dev", "etc", "tmp"}) fs::create_directories(rootfs / d);
    fs::copy_file("/bin/busybox", rootfs / "bin" / "busybox");
    fs::create_symlink("busybox", rootfs / "bin" / "true");
    fs::create_symlink("busybox", rootfs / "bin" / "sh");
    ASSERT_EQ(shell("cd " + (dir_ / "bundle").string() + " && " + MINIRUN_BINARY + " spec").status,
              0);
    base_ = json::parse(slurp(dir_ / "bundle" / "config.json"));
    base_["process"]["terminal"] = false;
    base_["process"]["args"] = {"true"};
  }

  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  Outcome shell(const std::string& command) {
    fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    int raw = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
    Outcome o;
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    o.out = slurp(out);
    o.err = slurp(err);
    return o;
  }

  void write_config(const json& config) {
    std::ofstream(dir_ / "bundle" / "config.json") << config.dump(2);
  }

  Outcome check(const std::string& format = "text") {
    return shell(std::string(MINIRUN_BINARY) + " check --format " + format + " " +
                 (dir_ / "bundle").string());
  }

  Outcome run() {
    std::string id = "check-" + std::to_string(++runs_);
    return shell(std::string(MINIRUN_BINARY) + " --root " + (dir_ / "state").string() + " run -b " +
                 (dir_ / "bundle").string() + " " + id);
  }

  // run prefixes its error line as runc does ("runc run failed: ..."); check states the
  // problem alone.
  static std::string without_run_prefix(const std::string& err) {
    const std::string prefix = "minirun run failed: ";
    return err.rfind(prefix, 0) == 0 ? err.substr(prefix.size()) : err;
  }

  // Same config, same answer: exit status, and on refusal the same line on stderr.
  void expect_same_verdict(const json& config, bool expect_ok) {
    write_config(config);
    Outcome c = check();
    Outcome r = run();
    EXPECT_EQ(c.status, expect_ok ? 0 : 1) << c.err;
    EXPECT_EQ(r.status, expect_ok ? 0 : 1) << r.err;
    EXPECT_EQ(c.err, without_run_prefix(r.err));
    if (!expect_ok) {
      EXPECT_FALSE(c.err.empty());
      Outcome j = check("json");
      EXPECT_EQ(j.status, 1);
      EXPECT_EQ(j.err, without_run_prefix(r.err));
      auto report = json::parse(j.out);
      EXPECT_EQ(report["wouldRun"], false);
      std::string line = c.err.substr(0, c.err.find('\n'));
      EXPECT_EQ(report["error"], line);
    }
  }

  json with(const std::function<void(json&)>& edit) {
    json c = base_;
    edit(c);
    return c;
  }

  static void drop_namespace(json& c, const std::string& type) {
    json kept = json::array();
    for (auto& ns : c["linux"]["namespaces"])
      if (ns["type"] != type) kept.push_back(ns);
    c["linux"]["namespaces"] = kept;
  }

  static void set_netns_path(json& c, const std::string& path) {
    for (auto& ns : c["linux"]["namespaces"])
      if (ns["type"] == "network") ns["path"] = path;
  }

  fs::path dir_;
  json base_;
  int runs_ = 0;
};

TEST_F(CheckAgreesWithRun, DefaultSpecRuns) {
  expect_same_verdict(base_, true);
}

TEST_F(CheckAgreesWithRun, NetSysctlWithPrivateNetns) {
  expect_same_verdict(
      with([](json& c) {
        c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}, {"net/ipv4/conf/lo/forwarding", "1"}};
      }),
      true);
}

TEST_F(CheckAgreesWithRun, IpcSysctlWithIpcNamespace) {
  expect_same_verdict(with([](json& c) {
                        c["linux"]["sysctl"] = {{"kernel.shmmax", "65536"}};
                      }),
                      true);
}

TEST_F(CheckAgreesWithRun, KernelSysctlRefused) {
  expect_same_verdict(with([](json& c) { c["linux"]["sysctl"] = {{"kernel.panic", "1"}}; }), false);
}

TEST_F(CheckAgreesWithRun, NetSysctlWithoutNetnsRefused) {
  expect_same_verdict(with([](json& c) {
                        drop_namespace(c, "network");
                        c["linux"]["sysctl"] = {{"net.core.somaxconn", "1024"}};
                      }),
                      false);
}

TEST_F(CheckAgreesWithRun, NetSysctlInJoinedHostNetnsRefused) {
  expect_same_verdict(with([](json& c) {
                        set_netns_path(c, "/proc/1/ns/net");
                        c["linux"]["sysctl"] = {{"net.core.somaxconn", "1024"}};
                      }),
                      false);
}

TEST_F(CheckAgreesWithRun, IpcSysctlWithoutIpcNamespaceRefused) {
  expect_same_verdict(with([](json& c) {
                        drop_namespace(c, "ipc");
                        c["linux"]["sysctl"] = {{"kernel.shmmax", "65536"}};
                      }),
                      false);
}

TEST_F(CheckAgreesWithRun, MissingNetnsPathRefused) {
  // Without a sysctl the validator never looks at the path; the namespace plan does.
  expect_same_verdict(with([](json& c) { set_netns_path(c, "/run/netns/minirun-no-such"); }),
                      false);
  expect_same_verdict(with([](json& c) {
                        set_netns_path(c, "/run/netns/minirun-no-such");
                        c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
                      }),
                      false);
}

TEST_F(CheckAgreesWithRun, SeccompProblemsRefused) {
  expect_same_verdict(with([](json& c) {
                        c["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_BOGUS"}};
                      }),
                      false);
  expect_same_verdict(with([](json& c) {
                        c["linux"]["seccomp"] = {
                            {"defaultAction", "SCMP_ACT_ALLOW"},
                            {"syscalls", {{{"names", {"mkdir"}}, {"action", "SCMP_ACT_NOTIFY"}}}}};
                      }),
                      false);
}

TEST_F(CheckAgreesWithRun, HostnameWithoutUtsRefused) {
  expect_same_verdict(with([](json& c) { drop_namespace(c, "uts"); }), false);
}

TEST_F(CheckAgreesWithRun, MissingRootfsRefused) {
  expect_same_verdict(with([](json& c) { c["root"]["path"] = "no-such-rootfs"; }), false);
}

TEST_F(CheckAgreesWithRun, UnparsableConfigRefused) {
  std::ofstream(dir_ / "bundle" / "config.json") << "{\"ociVersion\": ";
  Outcome c = check();
  Outcome r = run();
  EXPECT_EQ(c.status, 1);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(c.err, without_run_prefix(r.err));
}

TEST_F(CheckAgreesWithRun, TextReportNamesSysctlRules) {
  write_config(with([](json& c) {
    c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}, {"kernel.panic", "1"}};
  }));
  Outcome c = check();
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.out.find("allowed net.ipv4.ip_forward = 1"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("refused kernel.panic = 1"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("rule not-namespaced"), std::string::npos) << c.out;
}

}  // namespace
