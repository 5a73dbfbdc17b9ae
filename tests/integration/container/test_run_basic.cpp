// `run` end to end: exit codes, stdio, and what the default spec promises inside the
// container (own netns with lo up, hostname, user, caps, rlimits, ro /proc/sys, masks,
// sysctls), plus configs that must be refused without leaving anything behind.
#include <csignal>
#include <functional>
#include <regex>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class RunBasic : public LeakCheck {};

// --- exit codes and stdio ---------------------------------------------------------------

TEST_F(RunBasic, ExitCodeZero) {
  Bundle bundle({"true"});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
}

TEST_F(RunBasic, ExitCodeOfTheContainerProcess) {
  Bundle bundle({"sh", "-c", "exit 7"});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 7) << r;
}

// pid 1 of a pid namespace ignores SIGKILL from inside it, so the process kills itself in the
// host pid namespace; the runtime must report the signal as 128+9.
TEST_F(RunBasic, DeathBySignalIs128PlusSignal) {
  Bundle bundle({"sh", "-c", "kill -9 $$; echo survived"});
  bundle.remove_namespace("pid");
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r;
  EXPECT_EQ(r.out, "") << r;
}

TEST_F(RunBasic, StdoutAndStderrPassThrough) {
  Bundle bundle({"sh", "-c", "echo to-stdout; echo to-stderr >&2"});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "to-stdout\n") << r;
  EXPECT_EQ(r.err, "to-stderr\n") << r;
}

TEST_F(RunBasic, StdinPassesThrough) {
  Bundle bundle({"sh", "-c", "read line; echo got:$line"});
  RunOptions opts;
  opts.stdin_data = "hello\n";
  RunResult r = run_container(bundle, opts);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "got:hello\n") << r;
}

// --- networking ---------------------------------------------------------------------------

TEST_F(RunBasic, NewNetnsHasOnlyLoopbackAndItIsUp) {
  Bundle bundle({"ip", "link"});
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  std::vector<std::string> interfaces;
  for (const auto& line : r.out_lines()) {
    if (std::regex_search(line, std::regex("^[0-9]+: "))) interfaces.push_back(line);
  }
  ASSERT_EQ(interfaces.size(), 1u) << r;
  EXPECT_TRUE(contains(interfaces[0], ": lo: ")) << r;
  EXPECT_TRUE(contains(interfaces[0], "LOOPBACK,UP")) << r;
}

// sysfs shows the devices of its mounter's network namespace: it must be mounted after init
// is in the container's own, which minirun makes beside init and init joins.
TEST_F(RunBasic, SysClassNetShowsOnlyTheContainersLoopback) {
  Bundle bundle({"ls", "/sys/class/net"});
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "lo\n") << r;
}

TEST_F(RunBasic, NetworkNamespaceDiffersFromTheHost) {
  Bundle bundle({"readlink", "/proc/self/ns/net"});
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  const std::string host = std::filesystem::read_symlink("/proc/self/ns/net").string();
  EXPECT_TRUE(contains(r.out, "net:[")) << r;
  EXPECT_NE(trim(r.out), host) << r;
}

TEST_F(RunBasic, SysctlIsSetInsideAndTheHostIsUnchanged) {
  const std::string knob = "/proc/sys/net/ipv4/ip_forward";
  const std::string host_before = trim(read_file(knob));
  Bundle bundle({"cat", knob});
  bundle.set_sysctl("net.ipv4.ip_forward", "1");
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(trim(r.out), "1") << r;
  EXPECT_EQ(trim(read_file(knob)), host_before);
}

// --- process settings from the config ---------------------------------------------------

TEST_F(RunBasic, HostnameFromConfig) {
  Bundle bundle({"hostname"});
  bundle.config["hostname"] = "minirun-box";
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "minirun-box\n") << r;
}

TEST_F(RunBasic, CwdAndEnvFromConfig) {
  Bundle bundle({"sh", "-c", "pwd; echo $GREETING"});
  bundle.config["process"]["cwd"] = "/tmp";
  bundle.add_env("GREETING=hello from config");
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "/tmp\nhello from config\n") << r;
}

TEST_F(RunBasic, UserAndGroupFromConfig) {
  Bundle bundle({"sh", "-c", "id -u; id -g"});
  bundle.config["process"]["user"] = {{"uid", 65534}, {"gid", 65534}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "65534\n65534\n") << r;
}

std::string status_field(const std::string& status, const std::string& field) {
  for (const auto& line : split_lines(status)) {
    if (line.rfind(field + ":", 0) == 0) return trim(line.substr(field.size() + 1));
  }
  return "";
}

TEST_F(RunBasic, NoNewPrivsAndDefaultCapabilities) {
  Bundle bundle({"cat", "/proc/self/status"});
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(status_field(r.out, "NoNewPrivs"), "1") << r;
  // CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29).
  EXPECT_EQ(status_field(r.out, "CapEff"), "0000000020000420") << r;
  EXPECT_EQ(status_field(r.out, "CapBnd"), "0000000020000420") << r;
}

TEST_F(RunBasic, CapabilitiesFollowTheConfig) {
  Bundle bundle({"cat", "/proc/self/status"});
  const json caps = {"CAP_NET_ADMIN", "CAP_NET_RAW"};  // bits 12 and 13
  for (const char* set : {"bounding", "effective", "permitted", "ambient"}) {
    bundle.config["process"]["capabilities"][set] = caps;
  }
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(status_field(r.out, "CapEff"), "0000000000003000") << r;
  EXPECT_EQ(status_field(r.out, "CapBnd"), "0000000000003000") << r;
}

TEST_F(RunBasic, RlimitNofileFromConfig) {
  Bundle bundle({"sh", "-c", "ulimit -n; ulimit -Hn"});
  bundle.config["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 123}, {"hard", 456}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "123\n456\n") << r;
}

// --- readonly and masked paths ------------------------------------------------------------

TEST_F(RunBasic, ProcSysIsMountedReadOnly) {
  Bundle bundle(
      {"sh", "-c", "grep ' /proc/sys ' /proc/mounts; echo 1 > /proc/sys/net/ipv4/ip_forward"});
  RunResult r = run_container(bundle);
  EXPECT_NE(r.exit_code, 0) << "writing /proc/sys must fail" << r;
  const auto lines = r.out_lines();
  ASSERT_FALSE(lines.empty()) << r;
  std::istringstream fields(lines.back());
  std::string source, target, type, options;
  fields >> source >> target >> type >> options;
  EXPECT_EQ(target, "/proc/sys") << r;
  EXPECT_EQ(options.rfind("ro", 0), 0u) << "options: " << options << r;
  EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
}

// Masked files become a bind of /dev/null. Not every kernel has /proc/kcore, so the first
// masked file of the default spec that exists on this host is checked.
TEST_F(RunBasic, MaskedFileIsDevNull) {
  std::string masked;
  for (const char* f : {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"}) {
    if (masked.empty() && std::filesystem::exists(f)) masked = f;
  }
  if (masked.empty()) GTEST_SKIP() << "no masked /proc file exists on this kernel";
  Bundle bundle({"sh", "-c", "wc -c < " + masked + "; stat -c '%t:%T' " + masked});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out_lines(), (std::vector<std::string>{"0", "1:3"})) << masked << r;
}

// Masked directories become an empty read-only tmpfs.
TEST_F(RunBasic, MaskedDirectoryIsEmpty) {
  if (!std::filesystem::exists("/proc/acpi")) GTEST_SKIP() << "no /proc/acpi on this kernel";
  Bundle bundle({"sh", "-c", "ls -A /proc/acpi | wc -l; touch /proc/acpi/x"});
  RunResult r = run_container(bundle);
  EXPECT_NE(r.exit_code, 0) << "creating a file in a masked dir must fail" << r;
  EXPECT_EQ(r.out, "0\n") << r;
}

// --- the same container under runc -------------------------------------------------------

TEST_F(RunBasic, SameOutputAsRunc) {
  MINIRUN_SKIP_UNLESS_RUNC();
  Bundle bundle({"sh", "-c",
                 "ip link; hostname; id; ulimit -n; grep -E '^(Cap|NoNewPrivs)' /proc/self/status;"
                 " cat /proc/sys/net/ipv4/ip_forward; exit 3"});
  bundle.set_sysctl("net.ipv4.ip_forward", "1");
  Comparison c = run_with_runc_too(bundle);
  EXPECT_EQ(c.runc.exit_code, 3) << c.runc;
  EXPECT_EQ(c.ours.exit_code, c.runc.exit_code) << c.ours << c.runc;
  EXPECT_EQ(c.ours.out, c.runc.out) << c.ours << c.runc;
}

// --- configs that must be refused -------------------------------------------------------

struct BadConfig {
  std::string name;
  std::function<void(Bundle&)> break_it;
  std::string message_part;  // minirun's stderr line must contain this
  // runc accepts it (e.g. it only warns about an unknown capability): skipped under runc.
  bool minirun_only = false;
};

void PrintTo(const BadConfig& c, std::ostream* os) {
  *os << c.name;
}

class RunRefusesBadConfig : public LeakCheck, public ::testing::WithParamInterface<BadConfig> {};

TEST_P(RunRefusesBadConfig, ExitsOneWithOneLineAndLeavesNothing) {
  if (GetParam().minirun_only) MINIRUN_SKIP_UNLESS_MINIRUN();
  Bundle bundle({"echo", "should not run"});
  GetParam().break_it(bundle);
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_FALSE(r.err.empty()) << r;
  EXPECT_TRUE(std::filesystem::is_empty(state_root())) << "state left in " << state_root();
  if (is_minirun()) {
    EXPECT_EQ(r.err_lines().size(), 1u) << r;
    EXPECT_TRUE(contains(r.err, GetParam().message_part))
        << "expected '" << GetParam().message_part << "'" << r;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RunRefusesBadConfig,
    ::testing::Values(
        BadConfig{"NotJson", [](Bundle& b) { b.raw_config = "this is { not json"; }, "config.json"},
        BadConfig{"ArgsWrongType", [](Bundle& b) { b.config["process"]["args"] = {42}; },
                  "config.json: /process/args/0: expected a string"},
        BadConfig{"SysctlNotNamespaced", [](Bundle& b) { b.set_sysctl("kernel.panic", "1"); },
                  "sysctl \"kernel.panic\" is not in a separate kernel namespace"},
        BadConfig{"MissingRootfs", [](Bundle& b) { b.config["root"]["path"] = "no-such-rootfs"; },
                  "no-such-rootfs"},
        BadConfig{"InvalidContainerId", [](Bundle& b) { b.id = "a/b"; },
                  "invalid container ID format"},
        BadConfig{"MissingField", [](Bundle& b) { b.config.erase("process"); },
                  "config.json: /process: missing required field"},
        BadConfig{"MissingNamespacePath",
                  [](Bundle& b) {
                    for (auto& ns : b.config["linux"]["namespaces"]) {
                      if (ns["type"] == "network") ns["path"] = "/var/run/netns/does-not-exist";
                    }
                  },
                  "/var/run/netns/does-not-exist: No such file or directory"},
        BadConfig{"BindSourceMissing",
                  [](Bundle& b) {
                    b.config["mounts"].push_back({{"destination", "/data"},
                                                  {"type", "bind"},
                                                  {"source", "/does-not-exist-on-host"},
                                                  {"options", {"rbind"}}});
                  },
                  "/does-not-exist-on-host"},
        BadConfig{"UnknownMountOption",
                  [](Bundle& b) {
                    b.config["mounts"].push_back({{"destination", "/scratch"},
                                                  {"type", "tmpfs"},
                                                  {"source", "tmpfs"},
                                                  {"options", {"size=notanumber"}}});
                  },
                  "/scratch"},
        BadConfig{"UnknownCapability",
                  [](Bundle& b) {
                    b.config["process"]["capabilities"]["bounding"].push_back("CAP_NOPE");
                  },
                  "config.json: /process/capabilities/bounding/3: unknown capability \"CAP_NOPE\"",
                  true},
        BadConfig{"UnknownRlimit",
                  [](Bundle& b) {
                    b.config["process"]["rlimits"].push_back(
                        {{"type", "RLIMIT_NOPE"}, {"soft", 1}, {"hard", 1}});
                  },
                  "config.json: /process/rlimits/1/type: invalid rlimit type \"RLIMIT_NOPE\""},
        BadConfig{"NamespaceListedTwice",
                  [](Bundle& b) {
                    b.config["linux"]["namespaces"].push_back({{"type", "pid"}});
                  },
                  "config.json: /linux/namespaces/5: duplicated namespace \"pid\""},
        BadConfig{"HostnameWithoutUtsNamespace", [](Bundle& b) { b.remove_namespace("uts"); },
                  "config.json: /hostname: unable to set hostname without a private UTS namespace"},
        BadConfig{"NetSysctlWithoutNetns",
                  [](Bundle& b) {
                    b.remove_namespace("network");
                    b.set_sysctl("net.ipv4.ip_forward", "1");
                  },
                  "config.json: /linux/sysctl/net.ipv4.ip_forward: sysctl \"net.ipv4.ip_forward\" "
                  "not allowed in host network namespace"},
        BadConfig{"MissingExecutable", [](Bundle& b) { b.set_args({"no-such-program"}); },
                  "no-such-program"}),
    [](const ::testing::TestParamInfo<BadConfig>& info) { return info.param.name; });

}  // namespace
}  // namespace minirun::itest
