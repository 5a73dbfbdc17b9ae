// The six OCI hooks: when each runs, the state on its stdin, where it runs, failures and
// timeouts, and a createRuntime hook that wires a veth pair into the container the CNI way.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Hooks : public LeakCheck {
 protected:
  void SetUp() override {
    LeakCheck::SetUp();
    if (IsSkipped()) return;
    log_ = test_dir() / "hooks.log";
    // Records: kind, the status and pid from the state on stdin, and its own netns.
    write_script(test_dir() / "record.sh",
                 "#!/bin/sh\n"
                 "state=$(cat)\n"
                 "status=$(echo \"$state\" | sed -n 's/.*\"status\":\"\\([a-z]*\\)\".*/\\1/p')\n"
                 "pid=$(echo \"$state\" | sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p')\n"
                 "echo \"$1 $status $pid $(readlink /proc/self/ns/net)\" >> " +
                     log_.string() + "\n");
  }

  json recorder(const std::string& kind) {
    return json::array(
        {{{"path", (test_dir() / "record.sh").string()}, {"args", {"record.sh", kind}}}});
  }

  RunResult create(Bundle& bundle, const std::vector<std::string>& flags = {}) {
    bundle.write();
    std::vector<std::string> args{"create", "--bundle", bundle.dir().string()};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(bundle.id);
    return run_runtime(args);
  }

  fs::path log_;
};

TEST_F(Hooks, AllSixRunInOrderWithTheStateOnStdin) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["root"]["readonly"] = false;
  for (const char* kind : {"prestart", "createRuntime", "createContainer", "poststart", "poststop"})
    bundle.config["hooks"][kind] = recorder(kind);
  // startContainer runs inside the container: its path and its log are the container's.
  bundle.config["hooks"]["startContainer"] = {
      {{"path", "/bin/sh"},
       {"args", {"sh", "-c", "cat > /start-state.json; readlink /proc/self/ns/net > /start-ns"}}}};
  delete_at_end(bundle.id);  // if the test stops before its own delete

  ASSERT_EQ(create(bundle).exit_code, 0);
  int pid = container_state(bundle.id)["pid"];
  const std::string container_net =
      fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/net").string();
  const std::string host_net = fs::read_symlink("/proc/self/ns/net").string();
  std::string p = std::to_string(pid);
  EXPECT_EQ(read_file(log_), "prestart creating " + p + " " + host_net + "\n" +
                                 "createRuntime creating " + p + " " + host_net + "\n" +
                                 "createContainer creating " + p + " " + container_net + "\n");
  EXPECT_FALSE(fs::exists(bundle.rootfs() / "start-state.json"));

  ASSERT_EQ(run_runtime({"start", bundle.id}).exit_code, 0);
  for (int i = 0; i < 100 && !fs::exists(bundle.rootfs() / "start-ns"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto start_state = json::parse(read_file(bundle.rootfs() / "start-state.json"));
  EXPECT_EQ(start_state["status"], "created");
  EXPECT_EQ(start_state["pid"], pid);
  EXPECT_EQ(start_state["id"], bundle.id);
  EXPECT_EQ(read_file(bundle.rootfs() / "start-ns"), container_net + "\n");
  EXPECT_TRUE(contains(read_file(log_), "poststart running " + p + " "));

  ASSERT_EQ(run_runtime({"delete", "--force", bundle.id}).exit_code, 0);
  EXPECT_TRUE(contains(read_file(log_), "poststop stopped 0 ")) << read_file(log_);
  EXPECT_FALSE(fs::exists(state_root() / bundle.id));
}

TEST_F(Hooks, ForegroundRunRunsPoststartAndPoststop) {
  Bundle bundle({"true"});
  bundle.config["hooks"]["poststart"] = recorder("poststart");
  bundle.config["hooks"]["poststop"] = recorder("poststop");
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  auto log = read_file(log_);
  EXPECT_EQ(log.rfind("poststart running ", 0), 0u) << log;
  EXPECT_TRUE(contains(log, "\npoststop stopped 0 ")) << log;
}

// runc runs poststart and poststop from the config it saved at create: editing or breaking
// the bundle's config.json afterwards changes nothing.
TEST_F(Hooks, PoststartAndPoststopAreTheOnesOfTheConfigAtCreate) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["hooks"]["poststart"] = recorder("poststart");
  bundle.config["hooks"]["poststop"] = recorder("poststop");
  delete_at_end(bundle.id);
  ASSERT_EQ(create(bundle).exit_code, 0);
  write_file(bundle.dir() / "config.json", "{ broken");

  // Which hooks ran, not the state they saw (runc 1.1.5 tells poststart "created").
  ASSERT_EQ(run_runtime({"start", bundle.id}).exit_code, 0);
  EXPECT_EQ(read_file(log_).rfind("poststart ", 0), 0u) << read_file(log_);
  ASSERT_EQ(run_runtime({"delete", "--force", bundle.id}).exit_code, 0);
  EXPECT_TRUE(contains(read_file(log_), "\npoststop stopped ")) << read_file(log_);
}

TEST_F(Hooks, FailingCreateRuntimeHookStopsCreateAndLeavesNothing) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["hooks"]["createRuntime"] = {
      {{"path", "/bin/sh"}, {"args", {"sh", "-c", "echo out; echo err >&2; exit 3"}}}};
  bundle.write();
  const fs::path log = test_dir() / "log.json";
  const fs::path pid_file = test_dir() / "init.pid";
  // --root comes before --log here: run_runtime() puts it first.
  RunResult r = run_runtime({"--log", log.string(), "--log-format", "json", "create", "--pid-file",
                             pid_file.string(), "--bundle", bundle.dir().string(), bundle.id});
  EXPECT_EQ(r.exit_code, 1);
  // The hook's output quoted, so that the error stays one line.
  EXPECT_TRUE(contains(r.err, R"(error running createRuntime hook #0: exit status 3, )"
                              R"(stdout: "out\n", stderr: "err\n")"))
      << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
  EXPECT_FALSE(fs::exists(state_root() / bundle.id));
  EXPECT_FALSE(fs::exists(pid_file));
  EXPECT_EQ(run_runtime({"list", "-q"}).out, "");
  // The shim reads the last error line of --log.
  auto text = read_file(log);
  auto last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  auto line = json::parse(last);
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(
      line["msg"].get<std::string>().rfind("minirun create failed: error running createRuntime", 0),
      0u)
      << line;
}

TEST_F(Hooks, FailingCreateContainerHookStopsCreate) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["hooks"]["createContainer"] = {{{"path", "/nonexistent/hook"}}};
  RunResult r = create(bundle);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "error running createContainer hook #0: exit status 127")) << r;
  EXPECT_FALSE(fs::exists(state_root() / bundle.id));
}

TEST_F(Hooks, HookPastItsTimeoutIsKilled) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["hooks"]["prestart"] = {
      {{"path", "/bin/sleep"}, {"args", {"sleep", "30"}}, {"timeout", 1}}};
  RunResult r = create(bundle);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      contains(r.err, "error running prestart hook #0: hook ran past specified timeout of 1.0s"))
      << r;
  EXPECT_LT(r.elapsed, std::chrono::seconds(5));
  EXPECT_FALSE(fs::exists(state_root() / bundle.id));
}

TEST_F(Hooks, PoststartFailureIsOnlyAWarning) {
  Bundle bundle({"sh", "-c", "exit 4"});
  bundle.config["hooks"]["poststart"] = {{{"path", "/bin/false"}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 4) << r;
  EXPECT_TRUE(contains(r.err, "warning: error running poststart hook #0: exit status 1")) << r;
}

TEST_F(Hooks, HookGetsItsArgsAndEnv) {
  Bundle bundle({"sleep", "1000"});
  const fs::path args_file = test_dir() / "args";
  bundle.config["hooks"]["prestart"] = {
      {{"path", "/bin/sh"},
       {"args", {"sh", "-c", "echo \"$0 $1 $HOOKVAR\" > " + args_file.string(), "zero", "one"}},
       {"env", {"HOOKVAR=set"}}}};
  delete_at_end(bundle.id);
  ASSERT_EQ(create(bundle).exit_code, 0);
  EXPECT_EQ(read_file(args_file), "zero one set\n");
}

// The CNI way: a createRuntime hook reads the pid from the state and moves one end of a veth
// pair into /proc/<pid>/ns/net. The other end lives in a network namespace this test owns;
// only link-local addresses in those two namespaces carry traffic.
TEST_F(Hooks, CreateRuntimeHookWiresAVethPairIntoTheContainer) {
  if (!fs::exists("/usr/sbin/ip") && !fs::exists("/sbin/ip")) GTEST_SKIP() << "needs iproute2";
  const std::string netns = "mrhk" + std::to_string(getpid());
  ASSERT_EQ(run_process({"ip", "netns", "add", netns}).exit_code, 0);
  write_script(test_dir() / "cni.sh",
               "#!/bin/sh\nset -e\n"
               "pid=$(sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p')\n"
               "ip -n " +
                   netns +
                   " link add vh0 type veth peer name eth1 netns $pid\n"
                   "ip -n " +
                   netns +
                   " addr add 169.254.77.1/30 dev vh0\n"
                   "ip -n " +
                   netns +
                   " link set vh0 up\n"
                   "nsenter --net=/proc/$pid/ns/net ip addr add 169.254.77.2/30 dev eth1\n"
                   "nsenter --net=/proc/$pid/ns/net ip link set eth1 up\n");
  Bundle bundle({"sh", "-c", "ip -o -4 addr show eth1; ping -c 1 -W 2 169.254.77.1"});
  bundle.config["hooks"]["createRuntime"] = {{{"path", (test_dir() / "cni.sh").string()}}};
  for (const char* set : {"bounding", "effective", "permitted"})
    bundle.config["process"]["capabilities"][set].push_back("CAP_NET_RAW");
  RunResult r = run_container(bundle);
  run_process({"ip", "netns", "del", netns});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "eth1")) << r;
  EXPECT_TRUE(contains(r.out, "inet 169.254.77.2/30")) << r;
  EXPECT_TRUE(contains(r.out, "1 packets received")) << r;
}

}  // namespace
}  // namespace minirun::itest
