// The six OCI hooks: when each runs, the state on its stdin, where it runs, failures and
// timeouts, and a createRuntime hook that wires a veth pair into the container the CNI way.
#include <chrono>

#include "exec_test_support.hpp"

namespace minirun_it {
namespace {

class Hooks : public BundleTest {
 protected:
  void SetUp() override {
    BundleTest::SetUp();
    if (IsSkipped()) return;
    log_ = dir_ + "/hooks.log";
    // Records: kind, the status and pid from the state on stdin, and its own netns.
    write_text(dir_ + "/record.sh",
               "#!/bin/sh\n"
               "state=$(cat)\n"
               "status=$(echo \"$state\" | sed -n 's/.*\"status\":\"\\([a-z]*\\)\".*/\\1/p')\n"
               "pid=$(echo \"$state\" | sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p')\n"
               "echo \"$1 $status $pid $(readlink /proc/self/ns/net)\" >> " +
                   log_ + "\n",
               0755);
  }

  nlohmann::json recorder(const std::string& kind) {
    return nlohmann::json::array({{{"path", dir_ + "/record.sh"}, {"args", {"record.sh", kind}}}});
  }

  std::string log_;
};

TEST_F(Hooks, AllSixRunInOrderWithTheStateOnStdin) {
  config_["root"]["readonly"] = false;
  config_["process"]["args"] = {"sleep", "1000"};
  for (const char* kind : {"prestart", "createRuntime", "createContainer", "poststart", "poststop"})
    config_["hooks"][kind] = recorder(kind);
  // startContainer runs inside the container: its path and its log are the container's.
  config_["hooks"]["startContainer"] = {
      {{"path", "/bin/sh"},
       {"args", {"sh", "-c", "cat > /start-state.json; readlink /proc/self/ns/net > /start-ns"}}}};
  save_config();

  ASSERT_EQ(run("hk-all", "create --bundle " + bundle_ + " hk-all").code, 0);
  int pid = state("hk-all")["pid"];
  std::string container_net;
  {
    char buf[128] = {};
    std::string p = "/proc/" + std::to_string(pid) + "/ns/net";
    ASSERT_GT(readlink(p.c_str(), buf, sizeof buf - 1), 0);
    container_net = buf;
  }
  char own[128] = {};
  ASSERT_GT(readlink("/proc/self/ns/net", own, sizeof own - 1), 0);
  std::string host_net = own;
  std::string p = std::to_string(pid);
  EXPECT_EQ(read_text(log_), "prestart creating " + p + " " + host_net + "\n" +
                                 "createRuntime creating " + p + " " + host_net + "\n" +
                                 "createContainer creating " + p + " " + container_net + "\n");
  EXPECT_FALSE(exists(bundle_ + "/rootfs/start-state.json"));

  ASSERT_EQ(sh(minirun("start hk-all")).code, 0);
  for (int i = 0; i < 100 && !exists(bundle_ + "/rootfs/start-ns"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto start_state = nlohmann::json::parse(read_text(bundle_ + "/rootfs/start-state.json"));
  EXPECT_EQ(start_state["status"], "created");
  EXPECT_EQ(start_state["pid"], pid);
  EXPECT_EQ(start_state["id"], "hk-all");
  EXPECT_EQ(read_text(bundle_ + "/rootfs/start-ns"), container_net + "\n");
  EXPECT_NE(read_text(log_).find("poststart running " + p + " "), std::string::npos);

  ASSERT_EQ(sh(minirun("delete --force hk-all")).code, 0);
  EXPECT_NE(read_text(log_).find("poststop stopped 0 "), std::string::npos) << read_text(log_);
  EXPECT_FALSE(exists(root_ + "/hk-all"));
}

TEST_F(Hooks, ForegroundRunRunsPoststartAndPoststop) {
  config_["process"]["args"] = {"true"};
  config_["hooks"]["poststart"] = recorder("poststart");
  config_["hooks"]["poststop"] = recorder("poststop");
  save_config();
  auto o = run("hk-run", "run --bundle " + bundle_ + " hk-run");
  EXPECT_EQ(o.code, 0) << o.err;
  auto log = read_text(log_);
  EXPECT_EQ(log.rfind("poststart running ", 0), 0u) << log;
  EXPECT_NE(log.find("\npoststop stopped 0 "), std::string::npos) << log;
}

TEST_F(Hooks, FailingCreateRuntimeHookStopsCreateAndLeavesNothing) {
  config_["hooks"]["createRuntime"] = {
      {{"path", "/bin/sh"}, {"args", {"sh", "-c", "echo out; echo err >&2; exit 3"}}}};
  save_config();
  std::string log = dir_ + "/log.json";
  auto o = run("hk-fail", "--log " + log + " --log-format json create --pid-file " + dir_ +
                              "/init.pid --bundle " + bundle_ + " hk-fail");
  // --root comes before --log here: minirun() put it first.
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("error running createRuntime hook #0: exit status 3, stdout: out\n, "
                       "stderr: err\n"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(exists(root_ + "/hk-fail"));
  EXPECT_FALSE(exists(dir_ + "/init.pid"));
  EXPECT_EQ(sh(minirun("list -q")).out, "");
  // The shim reads the last error line of --log.
  auto text = read_text(log);
  auto last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  auto line = nlohmann::json::parse(last);
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(
      line["msg"].get<std::string>().rfind("minirun create failed: error running createRuntime", 0),
      0u)
      << line;
}

TEST_F(Hooks, FailingCreateContainerHookStopsCreate) {
  config_["hooks"]["createContainer"] = {{{"path", "/nonexistent/hook"}}};
  save_config();
  auto o = run("hk-cc", "create --bundle " + bundle_ + " hk-cc");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("error running createContainer hook #0: exit status 127"), std::string::npos)
      << o.err;
  EXPECT_FALSE(exists(root_ + "/hk-cc"));
}

TEST_F(Hooks, HookPastItsTimeoutIsKilled) {
  config_["hooks"]["prestart"] = {
      {{"path", "/bin/sleep"}, {"args", {"sleep", "30"}}, {"timeout", 1}}};
  save_config();
  auto begin = std::chrono::steady_clock::now();
  auto o = run("hk-timeout", "create --bundle " + bundle_ + " hk-timeout");
  auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("error running prestart hook #0: hook ran past specified timeout of 1.0s"),
            std::string::npos)
      << o.err;
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(exists(root_ + "/hk-timeout"));
}

TEST_F(Hooks, PoststartFailureIsOnlyAWarning) {
  config_["process"]["args"] = {"sh", "-c", "exit 4"};
  config_["hooks"]["poststart"] = {{{"path", "/bin/false"}}};
  save_config();
  auto o = run("hk-warn", "run --bundle " + bundle_ + " hk-warn");
  EXPECT_EQ(o.code, 4) << o.err;
  EXPECT_NE(o.err.find("warning: error running poststart hook #0: exit status 1"),
            std::string::npos)
      << o.err;
}

TEST_F(Hooks, HookGetsItsArgsAndEnv) {
  config_["hooks"]["prestart"] = {
      {{"path", "/bin/sh"},
       {"args", {"sh", "-c", "echo \"$0 $1 $HOOKVAR\" > " + dir_ + "/args", "zero", "one"}},
       {"env", {"HOOKVAR=set"}}}};
  save_config();
  ASSERT_EQ(run("hk-args", "create --bundle " + bundle_ + " hk-args").code, 0);
  EXPECT_EQ(read_text(dir_ + "/args"), "zero one set\n");
}

// The CNI way: a createRuntime hook reads the pid from the state and moves one end of a veth
// pair into /proc/<pid>/ns/net. The other end lives in a network namespace this test owns;
// only link-local addresses in those two namespaces carry traffic.
TEST_F(Hooks, CreateRuntimeHookWiresAVethPairIntoTheContainer) {
  if (!exists("/usr/sbin/ip") && !exists("/sbin/ip")) GTEST_SKIP() << "needs iproute2";
  std::string netns = "mrhk" + std::to_string(getpid());
  ASSERT_EQ(sh("ip netns add " + netns).code, 0);
  write_text(dir_ + "/cni.sh",
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
                 "nsenter --net=/proc/$pid/ns/net ip link set eth1 up\n",
             0755);
  config_["hooks"]["createRuntime"] = {{{"path", dir_ + "/cni.sh"}}};
  config_["process"]["args"] = {"sh", "-c", "ip -o -4 addr show eth1; ping -c 1 -W 2 169.254.77.1"};
  for (const char* set : {"bounding", "effective", "permitted"})
    config_["process"]["capabilities"][set].push_back("CAP_NET_RAW");
  save_config();
  auto o = run("hk-veth", "run --bundle " + bundle_ + " hk-veth");
  sh("ip netns del " + netns);
  EXPECT_EQ(o.code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("eth1"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("inet 169.254.77.2/30"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("1 packets received"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace minirun_it
