// cgroups end to end, as root, on this host (hybrid: v1 controllers + cgroup2 at
// /sys/fs/cgroup/unified) and on a simulated pure cgroup2 host (a private mount namespace
// with cgroup2 on /sys/fs/cgroup). Self-contained: each test makes its own busybox bundle and
// state root and removes them.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct Ran {
  int code = -1;
  std::string out;  // stdout and stderr
};

Ran sh(const std::string& command) {
  Ran r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::string s(std::istreambuf_iterator<char>(in), {});
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

class Cgroups : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root";
    char tmpl[] = "/tmp/minirun-cgit-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    bundle_ = dir_ + "/bundle";
    root_ = dir_ + "/state";
    cgroup_ = "/minirun-it-" + std::to_string(getpid());
    fs::create_directories(bundle_ + "/rootfs/bin");
    for (const char* d : {"proc", "sys", "dev", "etc", "tmp"})
      fs::create_directories(bundle_ + "/rootfs/" + d);
    fs::copy_file("/bin/busybox", bundle_ + "/rootfs/bin/busybox");
    ASSERT_EQ(sh("chroot " + bundle_ + "/rootfs /bin/busybox --install -s /bin").code, 0);
    ASSERT_EQ(sh("cd " + bundle_ + " && " + bin() + " spec").code, 0);
    std::ifstream in(bundle_ + "/config.json");
    config_ = json::parse(in);
    config_["process"]["terminal"] = false;
  }

  void TearDown() override {
    if (dir_.empty()) return;
    for (const auto& id : ids_) sh(mr() + " delete --force " + id);
    // Parents of the containers' cgroups, made by the tests' cgroupsPath.
    for (const char* h : {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio",
                          "pids", "systemd", "unified", ""})
      rmdir(("/sys/fs/cgroup/" + std::string(h) + cgroup_).c_str());
    fs::remove_all(dir_);
  }

  static std::string bin() { return MINIRUN_BINARY; }
  std::string mr() const { return bin() + " --root " + root_; }

  void write_config() { std::ofstream(bundle_ + "/config.json") << config_.dump(1); }

  // cgroupsPath under this test's own parent.
  void use(const std::string& id, const std::vector<std::string>& args) {
    ids_.push_back(id);
    config_["process"]["args"] = args;
    config_["linux"]["cgroupsPath"] = cgroup_ + "/" + id;
    write_config();
  }

  Ran run(const std::string& verb_and_args) {
    return sh("cd " + bundle_ + " && " + mr() + " " + verb_and_args);
  }

  // The detached container keeps the stdio it is given: a file, not our pipe.
  Ran run_detached(const std::string& id) {
    std::string log = dir_ + "/" + id + ".out";
    Ran r =
        sh("cd " + bundle_ + " && " + mr() + " run -d " + id + " > " + log + " 2>&1 < /dev/null");
    r.out = read(log);
    return r;
  }

  json state_file(const std::string& id) {
    std::ifstream in(root_ + "/" + id + "/state.json");
    return json::parse(in);
  }

  std::string status(const std::string& id) {
    auto r = run("state " + id);
    if (r.code != 0) return "error: " + r.out;
    return json::parse(r.out)["status"];
  }

  bool hybrid_host() const { return exists("/sys/fs/cgroup/memory/memory.limit_in_bytes"); }

  std::string dir_, bundle_, root_, cgroup_;
  json config_;
  std::vector<std::string> ids_;
};

}  // namespace

TEST_F(Cgroups, MemoryLimitVisibleInsideTheContainer) {
  if (!hybrid_host()) GTEST_SKIP() << "no v1 memory controller";
  config_["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  use("mem", {"cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/proc/self/cgroup"});
  auto r = run("run mem");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "67108864");
  // A cgroup namespace rooted at the container's cgroup.
  EXPECT_NE(r.out.find("memory:/\n"), std::string::npos) << r.out;
  EXPECT_FALSE(exists("/sys/fs/cgroup/memory" + cgroup_ + "/mem"));
}

TEST_F(Cgroups, PidsLimitIsEnforced) {
  config_["linux"]["resources"]["pids"]["limit"] = 4;
  use("pids", {"sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; echo end"});
  auto r = run("run pids");
  EXPECT_NE(r.out.find("fork"), std::string::npos) << r.out;
  EXPECT_FALSE(exists("/sys/fs/cgroup/pids" + cgroup_ + "/pids"));
}

TEST_F(Cgroups, PauseResumePsKillAllDelete) {
  use("life", {"sh", "-c", "sleep 1000 & sleep 1000"});
  auto r = run_detached("life");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(status("life"), "running");
  auto paths = state_file("life")["cgroup_paths"];
  ASSERT_FALSE(paths.empty());
  if (hybrid_host()) {
    EXPECT_TRUE(paths.contains("memory"));
    EXPECT_TRUE(paths.contains("name=systemd"));
    EXPECT_TRUE(paths.contains("unified"));
  }

  ASSERT_EQ(run("pause life").code, 0);
  EXPECT_EQ(status("life"), "paused");
  EXPECT_NE(run("pause life").out.find("container paused"), std::string::npos);
  ASSERT_EQ(run("resume life").code, 0);
  EXPECT_EQ(status("life"), "running");
  EXPECT_NE(run("resume life").out.find("container not paused"), std::string::npos);

  auto ps = run("ps --format json life");
  ASSERT_EQ(ps.code, 0) << ps.out;
  auto pids = json::parse(ps.out);
  ASSERT_EQ(pids.size(), 2u) << ps.out;  // sh execs the last sleep: two sleeps
  int init = json::parse(run("state life").out)["pid"];
  EXPECT_NE(std::find(pids.begin(), pids.end(), init), pids.end());
  auto table = run("ps life");
  EXPECT_NE(table.out.find("PID"), std::string::npos);
  EXPECT_NE(table.out.find("sleep 1000"), std::string::npos) << table.out;

  ASSERT_EQ(run("kill --all life 9").code, 0);
  for (int i = 0; i < 50 && status("life") != "stopped"; ++i) usleep(20000);
  EXPECT_EQ(status("life"), "stopped");
  ASSERT_EQ(run("delete life").code, 0);
  for (auto& [key, dir] : paths.items()) EXPECT_FALSE(exists(dir.get<std::string>())) << key;
}

TEST_F(Cgroups, DeletePausedContainerWithForce) {
  use("frozen", {"sleep", "1000"});
  ASSERT_EQ(run_detached("frozen").code, 0);
  auto paths = state_file("frozen")["cgroup_paths"];
  ASSERT_EQ(run("pause frozen").code, 0);
  auto refused = run("delete frozen");
  EXPECT_NE(refused.out.find("that is not stopped: paused"), std::string::npos) << refused.out;
  ASSERT_EQ(run("delete --force frozen").code, 0);
  for (auto& [key, dir] : paths.items()) EXPECT_FALSE(exists(dir.get<std::string>())) << key;
}

TEST_F(Cgroups, UpdateAndStats) {
  if (!hybrid_host()) GTEST_SKIP() << "no v1 memory controller";
  config_["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  use("upd", {"sleep", "1000"});
  ASSERT_EQ(run_detached("upd").code, 0);
  std::string mem = state_file("upd")["cgroup_paths"]["memory"];
  ASSERT_EQ(run("update --memory 96m --pids-limit 50 upd").code, 0);
  EXPECT_EQ(read(mem + "/memory.limit_in_bytes"), std::to_string(96 << 20));
  auto piped = sh("echo '{\"memory\":{\"limit\":33554432}}' | " + mr() + " update -r - upd");
  ASSERT_EQ(piped.code, 0) << piped.out;
  EXPECT_EQ(read(mem + "/memory.limit_in_bytes"), "33554432");

  auto stats = run("events --stats upd");
  ASSERT_EQ(stats.code, 0) << stats.out;
  auto event = json::parse(stats.out);
  EXPECT_EQ(event["type"], "stats");
  EXPECT_EQ(event["id"], "upd");
  EXPECT_EQ(event["data"]["memory"]["usage"]["limit"], 33554432);
  EXPECT_EQ(event["data"]["pids"]["current"], 1);
  EXPECT_EQ(event["data"]["pids"]["limit"], 50);
  EXPECT_TRUE(event["data"].contains("hugetlb"));
  EXPECT_TRUE(event["data"].contains("blkio"));
}

TEST_F(Cgroups, OomEventIsReported) {
  if (!hybrid_host()) GTEST_SKIP() << "no v1 memory controller";
  config_["linux"]["resources"]["memory"]["limit"] = 8 << 20;
  config_["linux"]["resources"]["memory"]["swap"] = 8 << 20;
  use("oom", {"sh", "-c", "sleep 1; head -c 64m /dev/zero | tail > /dev/null; sleep 1000"});
  ASSERT_EQ(run_detached("oom").code, 0);
  auto events = sh("timeout 5 " + mr() + " events --interval 10s oom");
  EXPECT_NE(events.out.find("{\"type\":\"oom\",\"id\":\"oom\"}"), std::string::npos) << events.out;
  EXPECT_NE(events.out.find("{\"type\":\"stats\""), std::string::npos) << events.out;
}

TEST_F(Cgroups, UnavailableControllerFailsBeforeAnythingExists) {
  config_["linux"]["resources"]["network"]["classID"] = 1048577;  // net_cls is not mounted here
  use("nocls", {"true"});
  if (exists("/sys/fs/cgroup/net_cls")) GTEST_SKIP() << "this host has net_cls";
  auto r = run("run nocls");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("cgroup controller \"net_cls\" is not available"), std::string::npos)
      << r.out;
  EXPECT_FALSE(exists(root_ + "/nocls"));
  EXPECT_FALSE(exists("/sys/fs/cgroup/pids" + cgroup_ + "/nocls"));
}

TEST_F(Cgroups, DevicesAreDenied) {
  config_["linux"]["resources"]["devices"] = json::array({{{"allow", false}, {"access", "rwm"}}});
  for (const char* set : {"bounding", "effective", "permitted"})
    config_["process"]["capabilities"][set].push_back("CAP_MKNOD");
  use("dev", {"sh", "-c",
              "echo x > /dev/null && echo null-ok; mknod /dev/shm/mem c 1 1 && "
              "(head -c1 /dev/shm/mem > /dev/null 2>&1 && echo mem-open || echo mem-denied)"});
  auto r = run("run dev");
  EXPECT_NE(r.out.find("null-ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("mem-denied"), std::string::npos) << r.out;
}

// A pure cgroup2 host: everything happens inside one private mount namespace where
// /sys/fs/cgroup is the cgroup2 hierarchy (only the controllers the kernel frees from v1 are
// usable there; here, what the unified hierarchy offers).
TEST_F(Cgroups, PureV2Host) {
  config_["linux"]["resources"]["devices"] = json::array({{{"allow", false}, {"access", "rwm"}}});
  use("v2", {"sh", "-c", "cat /proc/self/cgroup; ls /sys/fs/cgroup/cgroup.procs; sleep 1000"});
  std::string script = R"SH(
set -e
umount -l /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
cd @BUNDLE@
M="@MR@"
$M run -d v2 > /dev/null 2>&1 < /dev/null
echo "paths=$(cat @ROOT@/v2/state.json)"
echo "procs=$(cat /sys/fs/cgroup@CG@/v2/cgroup.procs)"
$M pause v2
echo "status=$($M state v2 | grep -o '"status": "[a-z]*"')"
echo "events=$(grep frozen /sys/fs/cgroup@CG@/v2/cgroup.events)"
$M resume v2
echo "status=$($M state v2 | grep -o '"status": "[a-z]*"')"
echo "ps=$($M ps --format json v2)"
$M kill --all v2 KILL
sleep 0.3
$M delete v2
test -d /sys/fs/cgroup@CG@/v2 && echo left-behind || echo removed
rmdir /sys/fs/cgroup@CG@
)SH";
  auto substitute = [&](const std::string& key, const std::string& value) {
    for (size_t at; (at = script.find(key)) != std::string::npos;)
      script.replace(at, key.size(), value);
  };
  substitute("@BUNDLE@", bundle_);
  substitute("@MR@", mr());
  substitute("@ROOT@", root_);
  substitute("@CG@", cgroup_);
  std::ofstream(dir_ + "/v2.sh") << script;
  auto r = sh("unshare -m --propagation private sh " + dir_ + "/v2.sh");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"cgroup_paths\":{\"unified\":\"/sys/fs/cgroup" + cgroup_ + "/v2\"}"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("status=\"status\": \"paused\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("events=frozen 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("status=\"status\": \"running\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ps=["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("removed"), std::string::npos) << r.out;
  ids_.clear();
}

TEST_F(Cgroups, PureV2HostNamesAMissingController) {
  config_["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  use("v2mem", {"true"});
  std::string script =
      "umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && "
      "grep -qw memory /sys/fs/cgroup/cgroup.controllers && echo has-memory; "
      "cd " +
      bundle_ + " && " + mr() + " run v2mem";
  auto r = sh("unshare -m --propagation private sh -c '" + script + "'");
  if (r.out.find("has-memory") != std::string::npos) GTEST_SKIP() << "memory is on cgroup2 here";
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("cgroup controller \"memory\" is not available on this host"),
            std::string::npos)
      << r.out;
  ids_.clear();
}
