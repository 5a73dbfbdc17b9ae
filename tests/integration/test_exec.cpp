// `exec`: namespaces, process settings, exit codes, --process, --detach/--pid-file,
// --preserve-fds, the console socket, and runc's failure words and exit code 255.
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "exec_test_support.hpp"

namespace minirun_it {
namespace {

class Exec : public BundleTest {
 protected:
  // A running container (sleep) named id.
  void start_sleeper(const std::string& id) {
    save_config();
    ASSERT_EQ(run(id, "run -d --bundle " + bundle_ + " " + id).code, 0);
    ASSERT_TRUE(wait_for_status(id, "running"));
  }

  std::string init_link(const std::string& id, const std::string& what) {
    int pid = state(id)["pid"];
    char buf[256] = {};
    std::string path = "/proc/" + std::to_string(pid) + "/" + what;
    ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }
};

TEST_F(Exec, JoinsEveryNamespaceAndReturnsTheExitCode) {
  start_sleeper("ex-ns");
  auto o =
      sh(minirun("exec ex-ns sh -c 'for n in net mnt pid ipc uts; do readlink /proc/self/ns/$n; "
                 "done; exit 7'"));
  EXPECT_EQ(o.code, 7) << o.err;
  std::string expected;
  for (const char* n : {"net", "mnt", "pid", "ipc", "uts"})
    expected += init_link("ex-ns", std::string("ns/") + n) + "\n";
  EXPECT_EQ(o.out, expected);
}

TEST_F(Exec, EverythingAfterTheIdIsTheCommand) {
  start_sleeper("ex-args");
  auto o = sh(minirun("exec ex-args ls -a -1 /"));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("bin\n"), std::string::npos) << o.out;
}

TEST_F(Exec, UserGroupsEnvAndCwdOverrides) {
  start_sleeper("ex-user");
  auto o =
      sh(minirun("exec -u 1000:1001 -g 5 -g 6 -e FOO=bar --env X=y --cwd /tmp ex-user "
                 "sh -c 'id; echo $FOO$X; pwd'"));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "uid=1000 gid=1001 groups=5,6\nbary\n/tmp\n");
}

TEST_F(Exec, InheritsCapabilitiesNoNewPrivsAndSeccompOfTheContainer) {
  config_["process"]["noNewPrivileges"] = true;
  config_["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
  start_sleeper("ex-sec");
  auto init_status = read_text("/proc/" + std::to_string(int(state("ex-sec")["pid"])) + "/status");
  auto o =
      sh(minirun("exec ex-sec sh -c 'grep -E \"^(CapBnd|CapEff|NoNewPrivs|Seccomp):\" "
                 "/proc/self/status; mkdir /tmp/x'"));
  EXPECT_NE(o.code, 0);
  EXPECT_NE(o.err.find("Operation not permitted"), std::string::npos) << o.err;
  for (const char* field : {"CapBnd:", "CapEff:", "NoNewPrivs:", "Seccomp:"}) {
    auto at = init_status.find(field);
    ASSERT_NE(at, std::string::npos);
    std::string line = init_status.substr(at, init_status.find('\n', at) - at + 1);
    EXPECT_NE(o.out.find(line), std::string::npos) << field << " expected " << line << o.out;
  }
  EXPECT_NE(o.out.find("Seccomp:\t2"), std::string::npos) << o.out;
}

TEST_F(Exec, CapFlagAddsACapability) {
  start_sleeper("ex-cap");
  auto o = sh(minirun("exec --cap CAP_NET_ADMIN ex-cap grep CapEff /proc/self/status"));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("0000000020001420"), std::string::npos) << o.out;  // + bit 12
}

TEST_F(Exec, ProcessFileGivesTheWholeProcess) {
  start_sleeper("ex-file");
  write_text(dir_ + "/process.json",
             R"({"args":["sh","-c","echo $A; id -u; pwd"],"cwd":"/tmp","env":["A=from-file",)"
             R"("PATH=/bin"],"user":{"uid":2,"gid":3}})");
  auto o = sh(minirun("exec --process " + dir_ + "/process.json ex-file"));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "from-file\n2\n/tmp\n");
}

TEST_F(Exec, DetachWritesThePidFileOfAProcessInTheContainer) {
  start_sleeper("ex-detach");
  std::string pid_file = dir_ + "/exec.pid";
  auto o = sh(minirun("exec -d --pid-file " + pid_file + " ex-detach sleep 100"));
  ASSERT_EQ(o.code, 0) << o.err;
  int pid = std::atoi(read_text(pid_file).c_str());
  ASSERT_GT(pid, 0);
  char buf[256] = {};
  std::string ns = "/proc/" + std::to_string(pid) + "/ns/pid";
  ASSERT_GT(readlink(ns.c_str(), buf, sizeof buf - 1), 0);
  EXPECT_EQ(std::string(buf), init_link("ex-detach", "ns/pid"));
}

TEST_F(Exec, MissingCommandExits255WithRuncsWords) {
  start_sleeper("ex-missing");
  auto o = sh(minirun("exec ex-missing no-such-command"));
  EXPECT_EQ(o.code, 255);
  EXPECT_NE(
      o.err.find("exec failed: exec: \"no-such-command\": executable file not found in $PATH"),
      std::string::npos)
      << o.err;
}

TEST_F(Exec, StoppedContainerIsRefused) {
  config_["process"]["args"] = {"true"};
  save_config();
  ASSERT_EQ(run("ex-stopped", "create --bundle " + bundle_ + " ex-stopped").code, 0);
  ASSERT_EQ(sh(minirun("start ex-stopped")).code, 0);
  ASSERT_TRUE(wait_for_status("ex-stopped", "stopped"));
  auto o = sh(minirun("exec ex-stopped true"));
  EXPECT_EQ(o.code, 255);
  EXPECT_NE(o.err.find("exec failed: cannot exec in a stopped container"), std::string::npos)
      << o.err;
  auto missing = sh(minirun("exec no-such-container true"));
  EXPECT_EQ(missing.code, 255);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
}

TEST_F(Exec, ExecInACreatedContainerWorks) {
  save_config();
  ASSERT_EQ(run("ex-created", "create --bundle " + bundle_ + " ex-created").code, 0);
  auto o = sh(minirun("exec ex-created echo hello"));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out, "hello\n");
}

TEST_F(Exec, PreserveFdsPassesExactlyThatMany) {
  start_sleeper("ex-fds");
  write_text(dir_ + "/fd3", "three\n");
  write_text(dir_ + "/fd4", "four\n");
  std::string opens = "exec 3<" + dir_ + "/fd3 4<" + dir_ + "/fd4; ";
  auto kept = sh(opens + minirun("exec --preserve-fds 1 ex-fds sh -c 'cat <&3; cat <&4'"));
  EXPECT_EQ(kept.out, "three\n");
  EXPECT_NE(kept.err.find("Bad file descriptor"), std::string::npos) << kept.err;
  auto none = sh(opens + minirun("exec ex-fds sh -c 'cat <&3'"));
  EXPECT_NE(none.code, 0);
  EXPECT_EQ(none.out, "");
}

TEST_F(Exec, PreserveFdsOnRun) {
  config_["process"]["args"] = {"sh", "-c", "cat <&3; ls /proc/self/fd"};
  save_config();
  write_text(dir_ + "/fd3", "three\n");
  auto o = sh("exec 3<" + dir_ + "/fd3 5<" + dir_ + "/fd3; " +
              minirun("run --preserve-fds 1 --bundle " + bundle_ + " ex-runfds"));
  ids_.push_back("ex-runfds");
  EXPECT_EQ(o.code, 0) << o.err;
  // The preserved 3, then ls's own directory fd; 5 was not passed.
  EXPECT_EQ(o.out, "three\n0\n1\n2\n3\n4\n");
}

TEST_F(Exec, DetachedTtyWithoutConsoleSocketIsRefused) {
  start_sleeper("ex-tty");
  auto o = sh(minirun("exec -t -d ex-tty true"));
  EXPECT_EQ(o.code, 255);
  EXPECT_NE(o.err.find("cannot allocate tty"), std::string::npos) << o.err;
}

// runc's console protocol: the pty master arrives over the socket with SCM_RIGHTS.
TEST_F(Exec, TtyMasterIsSentToTheConsoleSocket) {
  start_sleeper("ex-console");
  std::string path = dir_ + "/console.sock";
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  auto o = sh(minirun("exec -t -d --console-socket " + path + " ex-console sh -c 'tty; sleep 2'"));
  ASSERT_EQ(o.code, 0) << o.err;
  int conn = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(conn, 0);
  char name[64] = {};
  char control[CMSG_SPACE(sizeof(int))] = {};
  iovec iov{name, sizeof name - 1};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ASSERT_GT(recvmsg(conn, &msg, 0), 0);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  ASSERT_NE(c, nullptr);
  int master = -1;
  std::memcpy(&master, CMSG_DATA(c), sizeof master);
  char out[128] = {};
  ssize_t n = read(master, out, sizeof out - 1);
  EXPECT_GT(n, 0);
  EXPECT_EQ(std::string(out).rfind("/dev/pts/", 0), 0u) << out;
  close(master);
  close(conn);
  close(listener);
}

TEST_F(Exec, FeaturesPrintsTheSpecStructure) {
  auto o = sh(std::string(MINIRUN_BINARY) + " features");
  ASSERT_EQ(o.code, 0) << o.err;
  auto f = nlohmann::json::parse(o.out);
  EXPECT_EQ(f["ociVersionMin"], "1.0.0");
  EXPECT_EQ(f["linux"]["seccomp"]["enabled"], true);
  EXPECT_FALSE(f["annotations"]["io.github.seccomp.libseccomp.version"].get<std::string>().empty());
}

}  // namespace
}  // namespace minirun_it
