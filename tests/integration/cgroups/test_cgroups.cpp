// cgroups end to end, as root, on this host (hybrid: v1 controllers + cgroup2 at
// /sys/fs/cgroup/unified) and on a simulated pure cgroup2 host (a private mount namespace
// with cgroup2 on /sys/fs/cgroup). Containers' cgroups go below test_cgroup_parent().
#include <unistd.h>

#include <algorithm>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class Cgroups : public LeakCheck {
 protected:
  // cgroupsPath under this test's own parent, and a cgroup namespace rooted there.
  static void place(Bundle& bundle) {
    bundle.add_namespace("cgroup");
    bundle.config["linux"]["cgroupsPath"] = test_cgroup_parent() + "/" + bundle.id;
  }

  // Detached, its stdio in a file; deleted when the test ends.
  RunResult start(Bundle& bundle) {
    delete_at_end(bundle.id);
    return run_detached(bundle);
  }

  static json state_file(const std::string& id) {
    return json::parse(read_file(state_root() / id / "state.json"));
  }

  static bool hybrid_host() { return fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes"); }

  // The cgroup of a container below the test's parent in one hierarchy.
  static std::string cgroup_dir(const std::string& hierarchy, const std::string& id) {
    return "/sys/fs/cgroup/" + hierarchy + test_cgroup_parent() + "/" + id;
  }
};

TEST_F(Cgroups, MemoryLimitVisibleInsideTheContainer) {
  if (!hybrid_host()) GTEST_SKIP() << "no v1 memory controller";
  Bundle bundle({"cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/proc/self/cgroup"});
  bundle.config["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  place(bundle);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "67108864");
  // A cgroup namespace rooted at the container's cgroup.
  EXPECT_TRUE(contains(r.out, "memory:/\n")) << r;
  EXPECT_FALSE(fs::exists(cgroup_dir("memory", bundle.id)));
}

TEST_F(Cgroups, PidsLimitIsEnforced) {
  Bundle bundle({"sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; echo end"});
  bundle.config["linux"]["resources"]["pids"]["limit"] = 4;
  place(bundle);
  RunResult r = run_container(bundle);
  EXPECT_TRUE(contains(r.err, "fork")) << r;
  EXPECT_FALSE(fs::exists(cgroup_dir("pids", bundle.id)));
}

TEST_F(Cgroups, PauseResumePsKillAllDelete) {
  Bundle bundle({"sh", "-c", "sleep 1000 & sleep 1000"});
  place(bundle);
  const std::string& id = bundle.id;
  RunResult r = start(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(container_status(id), "running");
  auto paths = state_file(id)["cgroup_paths"];
  ASSERT_FALSE(paths.empty());
  if (hybrid_host()) {
    EXPECT_TRUE(paths.contains("memory"));
    EXPECT_TRUE(paths.contains("name=systemd"));
    EXPECT_TRUE(paths.contains("unified"));
  }

  ASSERT_EQ(run_runtime({"pause", id}).exit_code, 0);
  EXPECT_EQ(container_status(id), "paused");
  EXPECT_TRUE(contains(run_runtime({"pause", id}).err, "container paused"));
  ASSERT_EQ(run_runtime({"resume", id}).exit_code, 0);
  EXPECT_EQ(container_status(id), "running");
  EXPECT_TRUE(contains(run_runtime({"resume", id}).err, "container not paused"));

  RunResult ps = run_runtime({"ps", "--format", "json", id});
  ASSERT_EQ(ps.exit_code, 0) << ps;
  auto pids = json::parse(ps.out);
  ASSERT_EQ(pids.size(), 2u) << ps;  // sh execs the last sleep: two sleeps
  int init = container_state(id)["pid"];
  EXPECT_NE(std::find(pids.begin(), pids.end(), init), pids.end());
  RunResult table = run_runtime({"ps", id});
  EXPECT_TRUE(contains(table.out, "PID"));
  EXPECT_TRUE(contains(table.out, "sleep 1000")) << table;

  ASSERT_EQ(run_runtime({"kill", "--all", id, "9"}).exit_code, 0);
  wait_for_status(id, "stopped", std::chrono::seconds(1));
  EXPECT_EQ(container_status(id), "stopped");
  ASSERT_EQ(run_runtime({"delete", id}).exit_code, 0);
  for (auto& [key, dir] : paths.items()) EXPECT_FALSE(fs::exists(dir.get<std::string>())) << key;
}

TEST_F(Cgroups, DeletePausedContainerWithForce) {
  Bundle bundle({"sleep", "1000"});
  place(bundle);
  ASSERT_EQ(start(bundle).exit_code, 0);
  auto paths = state_file(bundle.id)["cgroup_paths"];
  ASSERT_EQ(run_runtime({"pause", bundle.id}).exit_code, 0);
  RunResult refused = run_runtime({"delete", bundle.id});
  EXPECT_TRUE(contains(refused.err, "that is not stopped: paused")) << refused;
  ASSERT_EQ(run_runtime({"delete", "--force", bundle.id}).exit_code, 0);
  for (auto& [key, dir] : paths.items()) EXPECT_FALSE(fs::exists(dir.get<std::string>())) << key;
}

TEST_F(Cgroups, UpdateAndStats) {
  if (!hybrid_host()) GTEST_SKIP() << "no v1 memory controller";
  Bundle bundle({"sleep", "1000"});
  bundle.config["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  place(bundle);
  const std::string& id = bundle.id;
  ASSERT_EQ(start(bundle).exit_code, 0);
  const fs::path limit = fs::path(state_file(id)["cgroup_paths"]["memory"].get<std::string>()) /
                         "memory.limit_in_bytes";
  ASSERT_EQ(run_runtime({"update", "--memory", "96m", "--pids-limit", "50", id}).exit_code, 0);
  EXPECT_EQ(trim(read_file(limit)), std::to_string(96 << 20));
  RunOptions piped;
  piped.stdin_data = R"({"memory":{"limit":33554432}})";
  RunResult from_stdin = run_runtime({"update", "-r", "-", id}, piped);
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin;
  EXPECT_EQ(trim(read_file(limit)), "33554432");

  RunResult stats = run_runtime({"events", "--stats", id});
  ASSERT_EQ(stats.exit_code, 0) << stats;
  auto event = json::parse(stats.out);
  EXPECT_EQ(event["type"], "stats");
  EXPECT_EQ(event["id"], id);
  EXPECT_EQ(event["data"]["memory"]["usage"]["limit"], 33554432);
  EXPECT_EQ(event["data"]["pids"]["current"], 1);
  EXPECT_EQ(event["data"]["pids"]["limit"], 50);
  EXPECT_TRUE(event["data"].contains("hugetlb"));
  EXPECT_TRUE(event["data"].contains("blkio"));
}

TEST_F(Cgroups, OomEventIsReported) {
  if (!hybrid_host()) GTEST_SKIP() << "no v1 memory controller";
  Bundle bundle({"sh", "-c", "sleep 1; head -c 64m /dev/zero | tail > /dev/null; sleep 1000"});
  bundle.config["linux"]["resources"]["memory"]["limit"] = 8 << 20;
  bundle.config["linux"]["resources"]["memory"]["swap"] = 8 << 20;
  place(bundle);
  ASSERT_EQ(start(bundle).exit_code, 0);
  RunOptions five_seconds;  // events runs until killed
  five_seconds.timeout = std::chrono::seconds(5);
  RunResult events = run_runtime({"events", "--interval", "10s", bundle.id}, five_seconds);
  EXPECT_TRUE(contains(events.out, "{\"type\":\"oom\",\"id\":\"" + bundle.id + "\"}")) << events;
  EXPECT_TRUE(contains(events.out, "{\"type\":\"stats\"")) << events;
}

TEST_F(Cgroups, UnavailableControllerFailsBeforeAnythingExists) {
  if (fs::exists("/sys/fs/cgroup/net_cls")) GTEST_SKIP() << "this host has net_cls";
  Bundle bundle({"true"});
  bundle.config["linux"]["resources"]["network"]["classID"] = 1048577;  // net_cls not mounted
  place(bundle);
  RunResult r = run_container(bundle);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "cgroup controller \"net_cls\" is not available")) << r;
  EXPECT_FALSE(fs::exists(state_root() / bundle.id));
  EXPECT_FALSE(fs::exists(cgroup_dir("pids", bundle.id)));
}

TEST_F(Cgroups, DevicesAreDenied) {
  Bundle bundle({"sh", "-c",
                 "echo x > /dev/null && echo null-ok; mknod /dev/shm/mem c 1 1 && "
                 "(head -c1 /dev/shm/mem > /dev/null 2>&1 && echo mem-open || echo mem-denied)"});
  bundle.config["linux"]["resources"]["devices"] =
      json::array({{{"allow", false}, {"access", "rwm"}}});
  for (const char* set : {"bounding", "effective", "permitted"})
    bundle.config["process"]["capabilities"][set].push_back("CAP_MKNOD");
  place(bundle);
  RunResult r = run_container(bundle);
  EXPECT_TRUE(contains(r.out, "null-ok")) << r;
  EXPECT_TRUE(contains(r.out, "mem-denied")) << r;
}

// A pure cgroup2 host: everything happens inside one private mount namespace where
// /sys/fs/cgroup is the cgroup2 hierarchy (only the controllers the kernel frees from v1 are
// usable there; here, what the unified hierarchy offers).
TEST_F(Cgroups, PureV2Host) {
  Bundle bundle({"sh", "-c", "cat /proc/self/cgroup; ls /sys/fs/cgroup/cgroup.procs; sleep 1000"});
  bundle.config["linux"]["resources"]["devices"] =
      json::array({{{"allow", false}, {"access", "rwm"}}});
  place(bundle);
  bundle.write();
  std::string script = R"SH(
set -e
umount -l /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
cd @BUNDLE@
M="@MR@"
$M run -d @ID@ > /dev/null 2>&1 < /dev/null
echo "paths=$(cat @ROOT@/@ID@/state.json)"
echo "procs=$(cat /sys/fs/cgroup@CG@/@ID@/cgroup.procs)"
$M pause @ID@
echo "status=$($M state @ID@ | grep -o '"status": "[a-z]*"')"
echo "events=$(grep frozen /sys/fs/cgroup@CG@/@ID@/cgroup.events)"
$M resume @ID@
echo "status=$($M state @ID@ | grep -o '"status": "[a-z]*"')"
echo "ps=$($M ps --format json @ID@)"
$M kill --all @ID@ KILL
sleep 0.3
$M delete @ID@
test -d /sys/fs/cgroup@CG@/@ID@ && echo left-behind || echo removed
rmdir /sys/fs/cgroup@CG@
)SH";
  auto substitute = [&](const std::string& key, const std::string& value) {
    for (size_t at; (at = script.find(key)) != std::string::npos;)
      script.replace(at, key.size(), value);
  };
  substitute("@BUNDLE@", shell_quote(bundle.dir().string()));
  substitute("@MR@", runtime_binary() + " --root " + state_root().string());  // words, unquoted
  substitute("@ROOT@", state_root().string());
  substitute("@CG@", test_cgroup_parent());
  substitute("@ID@", bundle.id);
  const fs::path script_file = test_dir() / "v2.sh";
  write_file(script_file, script);
  RunResult r =
      run_process({"unshare", "-m", "--propagation", "private", "sh", script_file.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "\"cgroup_paths\":{\"unified\":\"/sys/fs/cgroup" +
                                  test_cgroup_parent() + "/" + bundle.id + "\"}"))
      << r;
  EXPECT_TRUE(contains(r.out, "status=\"status\": \"paused\"")) << r;
  EXPECT_TRUE(contains(r.out, "events=frozen 1")) << r;
  EXPECT_TRUE(contains(r.out, "status=\"status\": \"running\"")) << r;
  EXPECT_TRUE(contains(r.out, "ps=[")) << r;
  EXPECT_TRUE(contains(r.out, "removed")) << r;
}

TEST_F(Cgroups, PureV2HostNamesAMissingController) {
  Bundle bundle({"true"});
  bundle.config["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  place(bundle);
  bundle.write();
  RunResult r =
      run_process({"unshare", "-m", "--propagation", "private", "sh", "-c",
                   "umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && "
                   "grep -qw memory /sys/fs/cgroup/cgroup.controllers && echo has-memory; " +
                       runtime_command_line() + " run --bundle " +
                       shell_quote(bundle.dir().string()) + " " + bundle.id});
  if (contains(r.out, "has-memory")) GTEST_SKIP() << "memory is on cgroup2 here";
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "cgroup controller \"memory\" is not available on this host")) << r;
}

}  // namespace
}  // namespace minirun::itest
