#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spec/explain.hpp"
#include "spec/parse.hpp"
#include "spec/sysctl_policy.hpp"

namespace minirun::spec {
namespace {

constexpr NamespaceIdentity kHostNet{3, 4026531840};
constexpr NamespaceIdentity kOtherNet{3, 4026532999};

HostFacts fake_host() {
  HostFacts host;
  host.current_netns = [] { return std::optional(kHostNet); };
  host.namespace_identity = [](const std::string& path,
                               std::string* error) -> std::optional<NamespaceIdentity> {
    if (path == "/run/netns/host-bind") return kHostNet;
    if (path == "/run/netns/other") return kOtherNet;
    *error = "stat " + path + ": no such file or directory";
    return std::nullopt;
  };
  return host;
}

Config config_with(std::initializer_list<NamespaceType> namespaces) {
  Config c;
  c.ociVersion = "1.2.0";
  c.root = Root{"rootfs", true};
  c.process = Process{};
  c.process->args = {"sh", "-c", "true"};
  c.process->cwd = "/";
  c.linux = Linux{};
  for (NamespaceType t : namespaces) c.linux->namespaces.push_back({t, ""});
  return c;
}

Config typical() {
  return config_with({NamespaceType::pid, NamespaceType::network, NamespaceType::ipc,
                      NamespaceType::uts, NamespaceType::mount});
}

const SysctlExplained& sysctl_of(const Explanation& e, const std::string& key) {
  for (const auto& s : e.sysctls)
    if (s.key == key) return s;
  throw std::runtime_error("no sysctl " + key);
}

TEST(Explain, NamespacesListCreatedJoinedAndShared) {
  Config c = typical();
  c.linux->namespaces[1].path = "/run/netns/other";
  Explanation e = explain_config(c, fake_host());
  ASSERT_EQ(e.namespaces.size(), 8u);
  EXPECT_EQ(e.namespaces[0].type, "pid");
  EXPECT_EQ(e.namespaces[0].action, "create");
  EXPECT_EQ(e.namespaces[1].type, "network");
  EXPECT_EQ(e.namespaces[1].action, "join");
  EXPECT_EQ(e.namespaces[1].path, "/run/netns/other");
  int shared = 0;
  for (const auto& ns : e.namespaces) shared += ns.action == "host";
  EXPECT_EQ(shared, 3);  // user, cgroup, time
}

TEST(Explain, EachSysctlCarriesTheRuleThatDecided) {
  Config c = typical();
  c.linux->sysctl = {{"net.ipv4.ip_forward", "1"},
                     {"kernel.shmmax", "65536"},
                     {"kernel.panic", "1"},
                     {"kernel.domainname", "lab"},
                     {"kernel.hostname", "x"},
                     {"user.max_user_namespaces", "0"},
                     {"net/ipv4/conf/dum0.100/forwarding", "1"}};
  Explanation e = explain_config(c, fake_host());
  ASSERT_EQ(e.sysctls.size(), 7u);

  const auto& fwd = sysctl_of(e, "net.ipv4.ip_forward");
  EXPECT_TRUE(fwd.allowed);
  EXPECT_EQ(fwd.rule, "net-namespace");
  EXPECT_EQ(fwd.file, "/proc/sys/net/ipv4/ip_forward");

  EXPECT_TRUE(sysctl_of(e, "kernel.shmmax").allowed);
  EXPECT_EQ(sysctl_of(e, "kernel.shmmax").rule, "ipc-namespace");
  EXPECT_TRUE(sysctl_of(e, "kernel.domainname").allowed);
  EXPECT_EQ(sysctl_of(e, "kernel.domainname").rule, "uts-domainname");

  const auto& panic = sysctl_of(e, "kernel.panic");
  EXPECT_FALSE(panic.allowed);
  EXPECT_EQ(panic.rule, "not-namespaced");
  EXPECT_EQ(panic.refusal, "sysctl \"kernel.panic\" is not in a separate kernel namespace");

  EXPECT_EQ(sysctl_of(e, "kernel.hostname").rule, "uts-hostname");
  EXPECT_FALSE(sysctl_of(e, "kernel.hostname").allowed);
  EXPECT_EQ(sysctl_of(e, "user.max_user_namespaces").refusal,
            "setting ucounts without a user namespace not allowed: user.max_user_namespaces");

  // A slash-first key keeps the dot inside the interface name.
  EXPECT_EQ(sysctl_of(e, "net/ipv4/conf/dum0.100/forwarding").file,
            "/proc/sys/net/ipv4/conf/dum0.100/forwarding");
}

TEST(Explain, NetSysctlInTheHostNetworkNamespaceIsRefused) {
  Config shared = config_with({NamespaceType::mount});
  shared.linux->sysctl = {{"net.core.somaxconn", "1024"}};
  const SysctlExplained s = explain_config(shared, fake_host()).sysctls.at(0);
  EXPECT_FALSE(s.allowed);
  EXPECT_EQ(s.refusal, "sysctl \"net.core.somaxconn\" not allowed in host network namespace");
  EXPECT_NE(s.reason.find("shares the host's network namespace"), std::string::npos);

  Config joined = typical();
  joined.linux->namespaces[1].path = "/run/netns/host-bind";
  joined.linux->sysctl = {{"net.core.somaxconn", "1024"}};
  const SysctlExplained j = explain_config(joined, fake_host()).sysctls.at(0);
  EXPECT_FALSE(j.allowed);
  EXPECT_NE(j.reason.find("same device and inode"), std::string::npos);
}

TEST(Explain, ExplainerAndValidatorAgreeOnEveryKey) {
  const char* keys[] = {"net.ipv4.ip_forward", "kernel.shmmax",
                        "fs.mqueue.msg_max",   "kernel.panic",
                        "vm.swappiness",       "kernel.hostname",
                        "kernel.domainname",   "user.max_net_namespaces",
                        "net/../etc",          "net/ipv4/conf/a.b/forwarding"};
  std::vector<Config> configs{typical(), config_with({NamespaceType::mount}),
                              config_with({NamespaceType::mount, NamespaceType::user})};
  configs[2].linux->uidMappings = {{0, 1000, 1}};
  configs[2].linux->gidMappings = {{0, 1000, 1}};
  for (const Config& base : configs) {
    for (const char* key : keys) {
      Config c = base;
      c.linux->sysctl = {{key, "1"}};
      auto verdict = explain_config(c, fake_host()).sysctls.at(0);
      auto error = validate_config(c, fake_host());
      EXPECT_EQ(verdict.allowed, !error.has_value()) << key;
      if (error) {
        EXPECT_EQ(error->detail(), verdict.refusal) << key;
      }
    }
  }
}

TEST(Explain, SecuritySummary) {
  Config c = typical();
  c.process->noNewPrivileges = true;
  c.process->capabilities = Capabilities{{"CAP_KILL"}, {"CAP_KILL"}, {}, {"CAP_KILL"}, {}};
  c.process->rlimits = {{"RLIMIT_NOFILE", 1024, 512}};
  c.linux->readonlyPaths = {"/proc/sys"};
  c.linux->maskedPaths = {"/proc/kcore"};
  Seccomp s;
  s.defaultAction = "SCMP_ACT_ERRNO";
  s.architectures = {"SCMP_ARCH_X86_64"};
  s.syscalls = {{{"read", "write"}, "SCMP_ACT_ALLOW", {}, {}},
                {{"exit"}, "SCMP_ACT_ALLOW", {}, {}}};
  c.linux->seccomp = s;
  Explanation e = explain_config(c, fake_host());
  ASSERT_TRUE(e.seccomp);
  EXPECT_EQ(e.seccomp->default_action, "SCMP_ACT_ERRNO");
  EXPECT_EQ(e.seccomp->rules, 2u);
  EXPECT_EQ(e.seccomp->syscalls, 3u);
  EXPECT_EQ(e.readonly_paths, std::vector<std::string>{"/proc/sys"});
  EXPECT_EQ(e.masked_paths, std::vector<std::string>{"/proc/kcore"});
  EXPECT_TRUE(e.no_new_privileges);

  std::string text = explanation_to_text(e);
  EXPECT_NE(text.find("seccomp: default SCMP_ACT_ERRNO, 2 rules naming 3 syscalls"),
            std::string::npos);
  EXPECT_NE(text.find("RLIMIT_NOFILE     soft 512 hard 1024"), std::string::npos);
  EXPECT_NE(text.find("bounding    CAP_KILL"), std::string::npos);
}

TEST(Explain, JsonCarriesVerdictAndSysctlRules) {
  Config c = typical();
  c.linux->sysctl = {{"kernel.panic", "1"}};
  Explanation e = explain_config(c, fake_host());
  e.bundle = "/b";
  e.would_run = false;
  e.error = "config.json: /linux/sysctl/kernel.panic: refused";
  auto j = nlohmann::json::parse(explanation_to_json(e));
  EXPECT_EQ(j["bundle"], "/b");
  EXPECT_EQ(j["wouldRun"], false);
  EXPECT_EQ(j["error"], "config.json: /linux/sysctl/kernel.panic: refused");
  EXPECT_EQ(j["sysctls"][0]["rule"], "not-namespaced");
  EXPECT_EQ(j["sysctls"][0]["allowed"], false);
  EXPECT_EQ(j["namespaces"].size(), 8u);
  EXPECT_TRUE(j["seccomp"].is_null());

  e.would_run = true;
  EXPECT_FALSE(nlohmann::json::parse(explanation_to_json(e)).contains("error"));
}

TEST(Explain, TextNamesTheVerdict) {
  Explanation e = explain_config(typical(), fake_host());
  e.bundle = "/b";
  e.would_run = true;
  EXPECT_EQ(explanation_to_text(e).rfind("bundle: /b\nverdict: would run\n", 0), 0u);
  e.would_run = false;
  e.error = "boom";
  EXPECT_NE(explanation_to_text(e).find("verdict: refused: boom\n"), std::string::npos);
}

TEST(Explain, CgroupsSayWhichDriverAndWhereOrWhyNone) {
  Explanation e = explain_config(typical(), fake_host());
  e.would_run = true;
  EXPECT_EQ(explanation_to_text(e).find("cgroups:"), std::string::npos);  // refused: unknown
  EXPECT_TRUE(nlohmann::json::parse(explanation_to_json(e))["cgroups"].is_null());

  e.cgroups = CgroupsExplained{"delegated", {"/sys/fs/cgroup/user/check"}};
  const std::string text = explanation_to_text(e);
  EXPECT_NE(text.find("cgroups: delegated (rootless, inside a cgroup2 subtree its user may "
                      "write)\n  /sys/fs/cgroup/user/check\n"),
            std::string::npos)
      << text;
  auto j = nlohmann::json::parse(explanation_to_json(e));
  EXPECT_EQ(j["cgroups"]["driver"], "delegated");
  EXPECT_EQ(j["cgroups"]["paths"][0], "/sys/fs/cgroup/user/check");

  e.cgroups = CgroupsExplained{"none", {}};
  EXPECT_NE(explanation_to_text(e).find("cgroups: none (rootless, no delegated cgroup2 subtree: "
                                        "the container stays in its creator's cgroup"),
            std::string::npos);
}

}  // namespace
}  // namespace minirun::spec
