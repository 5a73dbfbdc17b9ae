// Process security settings from config.json, seen from inside the container: seccomp,
// no_new_privs, a user namespace with id maps, rlimits, oom_score_adj, umask.
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <sstream>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class RunSecurity : public LeakCheck {};

// Compares with runc when it is installed; the runtime under test must match it.
void expect_same_as_runc(Bundle& bundle) {
  if (!runc_available() || !is_minirun()) return;
  Comparison c = run_with_runc_too(bundle);
  EXPECT_EQ(c.ours.exit_code, c.runc.exit_code) << c.ours << c.runc;
  EXPECT_EQ(c.ours.out, c.runc.out) << c.ours << c.runc;
}

// --- seccomp ------------------------------------------------------------------------------

json mkdir_denied_profile() {
  return {{"defaultAction", "SCMP_ACT_ALLOW"},
          {"syscalls",
           {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 1}}}}};
}

TEST_F(RunSecurity, SeccompProfileFromConfigDeniesMkdir) {
  Bundle bundle({"sh", "-c",
                 "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y && echo touch ok;"
                 " grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"});
  bundle.config["root"]["readonly"] = false;
  bundle.config["linux"]["seccomp"] = mkdir_denied_profile();
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out_lines(),
            (std::vector<std::string>{"mkdir=1", "touch ok", "NoNewPrivs:\t1", "Seccomp:\t2"}))
      << r;
  EXPECT_TRUE(contains(r.err, "Operation not permitted")) << "errnoRet 1 is EPERM" << r;
  EXPECT_FALSE(std::filesystem::exists(bundle.rootfs() / "tmp/x"));
  expect_same_as_runc(bundle);
}

// Without no_new_privs the filter is installed while init still has CAP_SYS_ADMIN.
TEST_F(RunSecurity, SeccompWithoutNoNewPrivs) {
  Bundle bundle({"sh", "-c", "mkdir /tmp/x; grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"});
  bundle.config["process"]["noNewPrivileges"] = false;
  bundle.config["linux"]["seccomp"] = mkdir_denied_profile();
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out_lines(), (std::vector<std::string>{"NoNewPrivs:\t0", "Seccomp:\t2"})) << r;
  EXPECT_TRUE(contains(r.err, "Operation not permitted")) << r;
}

// Other actions and an argument condition: the process dies of SIGSYS on mkdir, kill(pid, 0)
// fails with the default errno (EPERM) while other signals pass, errnoRet picks the errno.
TEST_F(RunSecurity, SeccompActionsAndArgumentConditions) {
  Bundle bundle({"sh", "-c",
                 "kill -0 1; echo kill0=$?; kill -CONT 1; echo kcont=$?; renice -n 5 $$ >/dev/null;"
                 " echo renice=$?; exec mkdir /tmp/b"});
  bundle.config["root"]["readonly"] = false;
  bundle.config["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
      {"syscalls",
       {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_KILL_PROCESS"}},
        {{"names", {"kill"}},
         {"action", "SCMP_ACT_ERRNO"},
         {"args", {{{"index", 1}, {"value", 0}, {"op", "SCMP_CMP_EQ"}}}}},
        {{"names", {"setpriority"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 13}}}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 128 + SIGSYS) << r;
  EXPECT_EQ(r.out, "kill0=1\nkcont=0\nrenice=1\n") << r;
  EXPECT_TRUE(contains(r.err, "Operation not permitted")) << r;
  EXPECT_TRUE(contains(r.err, "Permission denied")) << "errnoRet 13 is EACCES" << r;
  EXPECT_FALSE(std::filesystem::exists(bundle.rootfs() / "tmp/b"));
  expect_same_as_runc(bundle);
}

TEST_F(RunSecurity, NoSeccompWithoutAProfile) {
  Bundle bundle({"grep", "^Seccomp:", "/proc/self/status"});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "Seccomp:\t0\n") << r;
}

TEST_F(RunSecurity, NoNewPrivilegesFalseKeepsTheBitClear) {
  Bundle bundle({"grep", "^NoNewPrivs:", "/proc/self/status"});
  bundle.config["process"]["noNewPrivileges"] = false;
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "NoNewPrivs:\t0\n") << r;
  expect_same_as_runc(bundle);
}

// --- user namespace -----------------------------------------------------------------------

void map_root_to_100000(Bundle& bundle) {
  bundle.config["linux"]["namespaces"].push_back({{"type", "user"}});
  const json map = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  bundle.config["linux"]["uidMappings"] = map;
  bundle.config["linux"]["gidMappings"] = map;
}

// The rootfs stays owned by host root: it is world-readable, which is all a mapped root needs.
TEST_F(RunSecurity, UserNamespaceMapsRootTo100000) {
  Bundle bundle({"sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g"});
  map_root_to_100000(bundle);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 4u) << r;
  for (int i : {0, 1}) {
    std::istringstream fields(lines[i]);
    long inside = -1, outside = -1, size = -1;
    fields >> inside >> outside >> size;
    EXPECT_EQ(inside, 0) << lines[i];
    EXPECT_EQ(outside, 100000) << lines[i];
    EXPECT_EQ(size, 65536) << lines[i];
  }
  EXPECT_EQ(lines[2], "0") << r;
  EXPECT_EQ(lines[3], "0") << r;
  expect_same_as_runc(bundle);
}

// Kubernetes' pods with user namespaces: the sandbox makes the user namespace, each container
// joins it by path and gets new pid, mount, ipc, uts and network namespaces of its own. Those
// must belong to the joined user namespace, or its root could not even bring lo up.
TEST_F(RunSecurity, JoinedUserNamespaceOwnsTheNewNamespaces) {
  Bundle sandbox({"sleep", "1000"});
  map_root_to_100000(sandbox);
  delete_at_end(sandbox.id);
  ASSERT_EQ(run_detached(sandbox).exit_code, 0);
  const int sandbox_pid = container_state(sandbox.id)["pid"];
  const std::string user_ns = "/proc/" + std::to_string(sandbox_pid) + "/ns/user";

  Bundle bundle({"sh", "-c",
                 "cat /proc/self/uid_map; id -u; cat /sys/class/net/lo/operstate;"
                 " readlink /proc/self/ns/user; echo $$"});
  const json map = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  bundle.config["linux"]["namespaces"].push_back({{"type", "user"}, {"path", user_ns}});
  bundle.config["linux"]["uidMappings"] = map;  // runc 1.1.5 wants them even when joining
  bundle.config["linux"]["gidMappings"] = map;
  auto check = [&](const RunResult& r) {
    ASSERT_EQ(r.exit_code, 0) << r;
    const auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 5u) << r;
    std::istringstream fields(lines[0]);
    long inside = -1, outside = -1, size = -1;
    fields >> inside >> outside >> size;
    EXPECT_EQ(outside, 100000) << r;
    EXPECT_EQ(lines[1], "0") << r;
    EXPECT_EQ(lines[2], "unknown") << "lo is up (a loopback's operstate reads unknown)" << r;
    EXPECT_EQ(lines[3], fs::read_symlink(user_ns).string()) << r;
    EXPECT_EQ(lines[4], "1") << "a pid namespace of its own" << r;
  };
  check(run_container(bundle));
  if (runc_available() && is_minirun()) check(run_with_runc_too(bundle).runc);
}

// The same pod with shared namespaces: a container that joins all of the sandbox's but the
// mount namespace. The joined pid namespace is entered from inside the user namespace.
TEST_F(RunSecurity, JoiningAPodsNamespacesThroughItsUserNamespace) {
  Bundle sandbox({"sleep", "1000"});
  map_root_to_100000(sandbox);
  delete_at_end(sandbox.id);
  ASSERT_EQ(run_detached(sandbox).exit_code, 0);
  const std::string proc = "/proc/" + std::to_string(int(container_state(sandbox.id)["pid"]));

  Bundle bundle({"sh", "-c",
                 "for ns in user net ipc uts pid; do readlink /proc/self/ns/$ns; done;"
                 " id -u; pidof sleep"});
  const json map = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  bundle.config["linux"]["namespaces"] = {{{"type", "user"}, {"path", proc + "/ns/user"}},
                                          {{"type", "network"}, {"path", proc + "/ns/net"}},
                                          {{"type", "ipc"}, {"path", proc + "/ns/ipc"}},
                                          {{"type", "uts"}, {"path", proc + "/ns/uts"}},
                                          {{"type", "pid"}, {"path", proc + "/ns/pid"}},
                                          {{"type", "mount"}}};
  bundle.config["linux"]["uidMappings"] = map;
  bundle.config["linux"]["gidMappings"] = map;
  auto check = [&](const RunResult& r) {
    ASSERT_EQ(r.exit_code, 0) << r;
    std::vector<std::string> expected;
    for (const char* ns : {"user", "net", "ipc", "uts", "pid"})
      expected.push_back(fs::read_symlink(proc + "/ns/" + ns).string());
    expected.push_back("0");
    expected.push_back("1");  // the sandbox's sleep is pid 1 of the namespace it shares
    EXPECT_EQ(r.out_lines(), expected) << r;
  };
  check(run_container(bundle));
  if (runc_available() && is_minirun()) check(run_with_runc_too(bundle).runc);
}

// The middle process that joins the user namespace reports its failure; nothing is left.
TEST_F(RunSecurity, AUserNamespacePathThatIsNotOneFailsInOneLine) {
  MINIRUN_SKIP_UNLESS_MINIRUN();  // the words are ours
  Bundle bundle({"true"});
  bundle.config["linux"]["namespaces"].push_back({{"type", "user"}, {"path", "/proc/self/ns/net"}});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
  EXPECT_TRUE(contains(r.err, "join user namespace /proc/self/ns/net: Invalid argument")) << r;
  EXPECT_FALSE(fs::exists(state_root() / bundle.id));
}

// Files made by the container's root belong to host uid 100000.
TEST_F(RunSecurity, UserNamespaceRootWritesAsTheMappedUid) {
  Bundle bundle({"touch", "/tmp/made-inside"});
  map_root_to_100000(bundle);
  bundle.config["root"]["readonly"] = false;
  std::filesystem::permissions(bundle.rootfs() / "tmp", std::filesystem::perms::all);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  struct stat st {};
  ASSERT_EQ(stat((bundle.rootfs() / "tmp/made-inside").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 100000u);
  EXPECT_EQ(st.st_gid, 100000u);
}

// --- rlimits, oom_score_adj, umask ----------------------------------------------------------

rlim_t current_hard_nofile() {
  struct rlimit rl {};
  getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_max;
}

TEST_F(RunSecurity, RlimitSoftBelowHard) {
  const rlim_t hard = std::min<rlim_t>(current_hard_nofile(), 20000);
  const rlim_t soft = hard / 2;
  Bundle bundle({"sh", "-c", "ulimit -n; ulimit -Hn"});
  bundle.config["process"]["rlimits"] = {
      {{"type", "RLIMIT_NOFILE"}, {"soft", soft}, {"hard", hard}},
      {{"type", "RLIMIT_CORE"}, {"soft", 0}, {"hard", 0}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, std::to_string(soft) + "\n" + std::to_string(hard) + "\n") << r;
  expect_same_as_runc(bundle);
}

// Above fs.nr_open no one may raise RLIMIT_NOFILE (EPERM even with CAP_SYS_RESOURCE).
TEST_F(RunSecurity, RaisingTheHardLimitTooFarFailsCleanly) {
  const long nr_open = std::stol(trim(read_file("/proc/sys/fs/nr_open")));
  Bundle bundle({"echo", "should not run"});
  bundle.config["process"]["rlimits"] = {
      {{"type", "RLIMIT_NOFILE"}, {"soft", 1024}, {"hard", nr_open + 1}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_TRUE(std::filesystem::is_empty(state_root())) << "state left in " << state_root();
  if (is_minirun()) {
    EXPECT_EQ(r.err_lines().size(), 1u) << r;
    EXPECT_TRUE(contains(r.err, "rlimits")) << r;
    EXPECT_TRUE(contains(r.err, "RLIMIT_NOFILE")) << r;
    EXPECT_TRUE(contains(r.err, "Operation not permitted")) << r;
  }
}

TEST_F(RunSecurity, OomScoreAdjFromConfig) {
  Bundle bundle({"cat", "/proc/self/oom_score_adj"});
  bundle.config["process"]["oomScoreAdj"] = 123;
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "123\n") << r;
  expect_same_as_runc(bundle);
}

TEST_F(RunSecurity, UmaskFromConfig) {
  Bundle bundle({"sh", "-c", "umask; touch /tmp/f; stat -c %a /tmp/f"});
  bundle.config["root"]["readonly"] = false;
  bundle.config["process"]["user"]["umask"] = 027;
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "0027\n640\n") << r;
  expect_same_as_runc(bundle);
}

}  // namespace
}  // namespace minirun::itest
