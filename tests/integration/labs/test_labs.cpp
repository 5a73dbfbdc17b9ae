// Every teaching lab (examples/labs/NN-name/run.sh) runs to the end against the built binary;
// labs 01, 03 and 04 also as an ordinary user (a real one, made for the test), and a lab that
// needs root says so in one line.
#include <algorithm>
#include <map>

#include "harness.hpp"
#include "tests/integration/rootless/rootless_fixture.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lab_names() {
  std::vector<std::string> names;
  fs::path labs = fs::path(MINIRUN_SOURCE_DIR) / "examples" / "labs";
  if (!fs::is_directory(labs)) return names;
  for (const auto& entry : fs::directory_iterator(labs))
    if (entry.is_directory() && fs::exists(entry.path() / "run.sh"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Lab : public LeakCheck, public ::testing::WithParamInterface<std::string> {};

TEST_P(Lab, RunsToTheEnd) {
  MINIRUN_SKIP_UNLESS_MINIRUN();  // the labs compare minirun with runc themselves
  fs::path script = fs::path(MINIRUN_SOURCE_DIR) / "examples" / "labs" / GetParam() / "run.sh";
  RunOptions opts;
  opts.extra_env = {"MINIRUN=" + runtime_binary()};
  opts.timeout = std::chrono::minutes(2);
  RunResult r = run_process({script.string()}, opts);
  ASSERT_FALSE(r.timed_out) << r;
  EXPECT_EQ(r.exit_code, 0) << r;
}

// ---- as an ordinary user ------------------------------------------------------------------

// The cells of the row `key` in a lab's side-by-side table (lab_table), by column header: the
// headers are those of the nearest "what | ..." line above the row. Empty when there is no row.
std::map<std::string, std::string> table_row(const std::string& out, const std::string& key) {
  auto cells = [](const std::string& line) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t bar; (bar = line.find(" | ", start)) != std::string::npos; start = bar + 3)
      parts.push_back(trim(line.substr(start, bar - start)));
    parts.push_back(trim(line.substr(start)));
    return parts;
  };
  std::vector<std::string> headers;
  for (const std::string& line : split_lines(out)) {
    if (line.find(" | ") == std::string::npos) continue;
    std::vector<std::string> row = cells(line);
    if (row[0] == "what") {
      headers = row;
    } else if (row[0] == key && row.size() == headers.size()) {
      std::map<std::string, std::string> by_header;
      for (size_t i = 1; i < row.size(); ++i) by_header[headers[i]] = row[i];
      return by_header;
    }
  }
  return {};
}

// The Rootless fixture's user runs a lab's run.sh, with MINIRUN set to the binary under test and
// the lab's temp dir under the test's own directory (removed even if the lab is killed).
class LabAsUser : public Rootless {
 protected:
  RunResult run_lab(const std::string& lab) {
    fs::path tmp = test_dir() / "tmp";
    fs::create_directories(tmp);
    EXPECT_EQ(chown(tmp.c_str(), uid_, gid_), 0);
    EXPECT_EQ(chmod(tmp.c_str(), 0700), 0);
    fs::path script = fs::path(MINIRUN_SOURCE_DIR) / "examples" / "labs" / lab / "run.sh";
    RunOptions opts;
    opts.timeout = std::chrono::minutes(2);
    return run_process({"setpriv", "--reuid", user_, "--regid", user_, "--init-groups", "env",
                        "XDG_RUNTIME_DIR=" + xdg_.string(), "TMPDIR=" + tmp.string(),
                        "MINIRUN=" + runtime_binary(), script.string()},
                       opts);
  }

  void SetUp() override {
    Rootless::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!is_minirun()) GTEST_SKIP() << "the labs compare minirun with runc themselves";
  }
};

TEST_F(LabAsUser, NewNetnsHasOnlyLoUpUnderMinirunAndNoNetnsUnderRootlessRunc) {
  RunResult r = run_lab("01-new-netns");
  ASSERT_FALSE(r.timed_out) << r;
  ASSERT_EQ(r.exit_code, 0) << r;
  auto devices = table_row(r.out, "devices (ip link)");
  EXPECT_EQ(devices["minirun"], "lo") << r;
  EXPECT_EQ(devices["bare unshare -n"], "lo") << r;
  auto flags = table_row(r.out, "lo flags");
  EXPECT_TRUE(contains(flags["minirun"], "UP")) << r;  // minirun brought it up
  EXPECT_FALSE(contains(flags["bare unshare -n"], "UP")) << r;
  auto netns = table_row(r.out, "netns (readlink /proc/self/ns/net)");
  EXPECT_TRUE(contains(netns["minirun"], "net:[")) << r;
  EXPECT_NE(netns["minirun"], netns["host"]) << r;
  if (runc_available()) {
    EXPECT_EQ(netns["runc"], "(rootless runc: no network namespace, shares the host's)") << r;
  }
  EXPECT_TRUE(no_processes_of(uid_));
}

TEST_F(LabAsUser, SysctlFieldSetsNetKeysUnderMinirunAndOnlyIpcKeysUnderRootlessRunc) {
  RunResult r = run_lab("03-sysctl-field");
  ASSERT_FALSE(r.timed_out) << r;
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(table_row(r.out, "read net.core.somaxconn")["minirun"], "512") << r;
  EXPECT_EQ(table_row(r.out, "read net.ipv4.ip_local_port_range")["minirun"], "20000 30000") << r;
  auto shmmni = table_row(r.out, "read kernel.shmmni");
  EXPECT_EQ(shmmni["minirun"], "8192") << r;
  EXPECT_EQ(table_row(r.out, "mount options of /proc/sys")["minirun"].substr(0, 3), "ro,") << r;
  EXPECT_EQ(table_row(r.out, "write: echo 0 > /proc/sys/net/ipv4/ip_forward")["minirun"],
            "Read-only file system")
      << r;
  if (runc_available()) {
    EXPECT_EQ(shmmni["runc"], "8192") << r;
    EXPECT_TRUE(contains(table_row(r.out, "read net.core.somaxconn")["runc"],
                         "rootless runc: no network namespace"))
        << r;
    EXPECT_TRUE(contains(r.out, "rootless runc with the net.* keys: ")) << r;
    EXPECT_TRUE(contains(r.out, "not allowed in host network namespace")) << r;
  }
  EXPECT_TRUE(no_processes_of(uid_));
}

TEST_F(LabAsUser, SysctlPolicyKeepsTheCasesAUserCanRunAndSaysWhichNeedRoot) {
  RunResult r = run_lab("04-sysctl-policy");
  ASSERT_FALSE(r.timed_out) << r;
  ASSERT_EQ(r.exit_code, 0) << r;
  auto priv = table_row(r.out, "net-private: net.ipv4.ip_forward, value 1");
  EXPECT_EQ(priv["minirun"], "accepted, reads back: 1") << r;
  EXPECT_TRUE(contains(priv["minirun check"], "allowed")) << r;
  auto global = table_row(
      r.out, "kernel-global: kernel.panic, value " + trim(read_file("/proc/sys/kernel/panic")));
  EXPECT_EQ(global["minirun"].substr(0, 7), "refused") << r;
  auto userns = table_row(r.out, "user-in-userns: user.max_user_namespaces, value " +
                                     trim(read_file("/proc/sys/user/max_user_namespaces")));
  EXPECT_EQ(userns["minirun"].substr(0, 8), "accepted") << r;
  auto bind = table_row(r.out, "net-host-bind: net.ipv4.ip_forward, value " +
                                   trim(read_file("/proc/sys/net/ipv4/ip_forward")));
  EXPECT_EQ(bind["minirun"], "(needs root)") << r;
  EXPECT_EQ(table_row(r.out, "net/ipv4/conf/lab0.100/forwarding")["minirun"],
            "(needs root: ip netns add)")
      << r;
  if (runc_available()) {
    EXPECT_EQ(priv["runc"], "refused (exit 1): rootless runc has no network namespace") << r;
    EXPECT_EQ(global["runc"].substr(0, 7), "refused") << r;
  }
  EXPECT_TRUE(no_processes_of(uid_));
}

TEST_F(LabAsUser, RootOnlyLabSaysWhyInOneLine) {
  RunResult r = run_lab("05-join-netns");
  ASSERT_FALSE(r.timed_out) << r;
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_EQ(r.err, "lab 05 needs root: ip netns and a veth pair on the host\n") << r;
  EXPECT_TRUE(fs::is_empty(test_dir() / "tmp")) << "lab 05 made its temp dir before refusing";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(),
      [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Examples, Lab, ::testing::ValuesIn(lab_names()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Lab);

}  // namespace
}  // namespace minirun::itest
