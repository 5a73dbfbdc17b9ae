// `minirun check` must give run's answer: same config, same exit status, same message.
#include <functional>
#include <optional>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class CheckAgreesWithRun : public LeakCheck {
 protected:
  void SetUp() override {
    LeakCheck::SetUp();
    if (IsSkipped()) return;
    bundle_.emplace(std::vector<std::string>{"true"});
    base_ = bundle_->config;
  }

  void write_config(const json& config) {
    bundle_->config = config;
    bundle_->write();
  }

  RunResult check(const std::string& format = "text") {
    return run_runtime({"check", "--format", format, bundle_->dir().string()});
  }

  RunResult run() { return run_container(*bundle_); }

  // run prefixes its error line as runc does ("runc run failed: ..."); check states the
  // problem alone.
  static std::string without_run_prefix(const std::string& err) {
    const std::string prefix = "minirun run failed: ";
    return err.rfind(prefix, 0) == 0 ? err.substr(prefix.size()) : err;
  }

  // Same config, same answer: exit status, and on refusal the same line on stderr.
  void expect_same_verdict(const json& config, bool expect_ok) {
    write_config(config);
    RunResult c = check();
    RunResult r = run();
    EXPECT_EQ(c.exit_code, expect_ok ? 0 : 1) << c;
    EXPECT_EQ(r.exit_code, expect_ok ? 0 : 1) << r;
    EXPECT_EQ(c.err, without_run_prefix(r.err));
    if (!expect_ok) {
      EXPECT_FALSE(c.err.empty());
      RunResult j = check("json");
      EXPECT_EQ(j.exit_code, 1);
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

  static void set_netns_path(json& c, const std::string& path) {
    for (auto& ns : c["linux"]["namespaces"])
      if (ns["type"] == "network") ns["path"] = path;
  }

  std::optional<Bundle> bundle_;
  json base_;
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
                        remove_namespace(c, "network");
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
                        remove_namespace(c, "ipc");
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

TEST_F(CheckAgreesWithRun, UnavailableCgroupControllerRefused) {
  if (std::filesystem::exists("/sys/fs/cgroup/net_cls")) GTEST_SKIP() << "this host has net_cls";
  expect_same_verdict(
      with([](json& c) { c["linux"]["resources"]["network"]["classID"] = 1048577; }), false);
}

TEST_F(CheckAgreesWithRun, HostnameWithoutUtsRefused) {
  expect_same_verdict(with([](json& c) { remove_namespace(c, "uts"); }), false);
}

TEST_F(CheckAgreesWithRun, MissingRootfsRefused) {
  expect_same_verdict(with([](json& c) { c["root"]["path"] = "no-such-rootfs"; }), false);
}

TEST_F(CheckAgreesWithRun, UnparsableConfigRefused) {
  bundle_->raw_config = "{\"ociVersion\": ";
  bundle_->write();
  RunResult c = check();
  RunResult r = run();
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(c.err, without_run_prefix(r.err));
}

TEST_F(CheckAgreesWithRun, TextReportNamesSysctlRules) {
  write_config(with([](json& c) {
    c["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}, {"kernel.panic", "1"}};
  }));
  RunResult c = check();
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.out.find("allowed net.ipv4.ip_forward = 1"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("refused kernel.panic = 1"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("rule not-namespaced"), std::string::npos) << c.out;
}

}  // namespace
}  // namespace minirun::itest
