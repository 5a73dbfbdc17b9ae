// `exec`: namespaces, process settings, exit codes, --process, --detach/--pid-file,
// --preserve-fds, the console socket, and runc's failure words and exit code 255.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class Exec : public LeakCheck {
 protected:
  // The bundle's container running detached, with the namespaces `minirun spec` gives
  // (cgroup too); deleted when the test ends.
  void start_sleeper(Bundle& bundle) {
    bundle.add_namespace("cgroup");
    delete_at_end(bundle.id);
    RunResult r = run_detached(bundle);
    ASSERT_EQ(r.exit_code, 0) << r;
    ASSERT_TRUE(wait_for_status(bundle.id, "running"));
  }

  // The same, created (not started).
  void create(Bundle& bundle) {
    bundle.add_namespace("cgroup");
    delete_at_end(bundle.id);
    bundle.write();
    RunResult r = run_runtime({"create", "--bundle", bundle.dir().string(), bundle.id});
    ASSERT_EQ(r.exit_code, 0) << r;
  }
};

int init_pid(const std::string& id) {
  return container_state(id)["pid"];
}

// The target of /proc/<init>/WHAT, e.g. "ns/net"; empty if it cannot be read.
std::string init_link(const std::string& id, const std::string& what) {
  std::error_code ec;
  auto target =
      std::filesystem::read_symlink("/proc/" + std::to_string(init_pid(id)) + "/" + what, ec);
  return ec ? "" : target.string();
}

TEST_F(Exec, JoinsEveryNamespaceAndReturnsTheExitCode) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r =
      run_runtime({"exec", bundle.id, "sh", "-c",
                   "for n in net mnt pid ipc uts; do readlink /proc/self/ns/$n; done; exit 7"});
  EXPECT_EQ(r.exit_code, 7) << r;
  std::string expected;
  for (const char* n : {"net", "mnt", "pid", "ipc", "uts"})
    expected += init_link(bundle.id, std::string("ns/") + n) + "\n";
  EXPECT_EQ(r.out, expected);
}

TEST_F(Exec, JoinsTheCgroupsOfTheContainer) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r = run_runtime(
      {"exec", bundle.id, "sh", "-c", "cat /proc/self/cgroup; echo --; cat /proc/1/cgroup"});
  ASSERT_EQ(r.exit_code, 0) << r;
  const auto split = r.out.find("--\n");
  ASSERT_NE(split, std::string::npos) << r;
  EXPECT_EQ(r.out.substr(0, split), r.out.substr(split + 3)) << r;
}

TEST_F(Exec, EverythingAfterTheIdIsTheCommand) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r = run_runtime({"exec", bundle.id, "ls", "-a", "-1", "/"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "bin\n")) << r;
}

TEST_F(Exec, UserGroupsEnvAndCwdOverrides) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r =
      run_runtime({"exec", "-u", "1000:1001", "-g", "5", "-g", "6", "-e", "FOO=bar", "--env", "X=y",
                   "--cwd", "/tmp", bundle.id, "sh", "-c", "id; echo $FOO$X; pwd"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "uid=1000 gid=1001 groups=5,6\nbary\n/tmp\n");
}

TEST_F(Exec, InheritsCapabilitiesNoNewPrivsAndSeccompOfTheContainer) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["process"]["noNewPrivileges"] = true;
  bundle.config["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
  start_sleeper(bundle);
  const std::string init_status =
      read_file("/proc/" + std::to_string(init_pid(bundle.id)) + "/status");
  RunResult r = run_runtime(
      {"exec", bundle.id, "sh", "-c",
       "grep -E \"^(CapBnd|CapEff|NoNewPrivs|Seccomp):\" /proc/self/status; mkdir /tmp/x"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "Operation not permitted")) << r;
  for (const char* field : {"CapBnd:", "CapEff:", "NoNewPrivs:", "Seccomp:"}) {
    auto at = init_status.find(field);
    ASSERT_NE(at, std::string::npos);
    std::string line = init_status.substr(at, init_status.find('\n', at) - at + 1);
    EXPECT_TRUE(contains(r.out, line)) << field << " expected " << line << r;
  }
  EXPECT_TRUE(contains(r.out, "Seccomp:\t2")) << r;
}

TEST_F(Exec, CapFlagAddsACapability) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r = run_runtime(
      {"exec", "--cap", "CAP_NET_ADMIN", bundle.id, "grep", "CapEff", "/proc/self/status"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "0000000020001420")) << r;  // + bit 12
}

TEST_F(Exec, ProcessFileGivesTheWholeProcess) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  const auto process_json = test_dir() / "process.json";
  write_file(process_json,
             R"({"args":["sh","-c","echo $A; id -u; pwd"],"cwd":"/tmp","env":["A=from-file",)"
             R"("PATH=/bin"],"user":{"uid":2,"gid":3}})");
  RunResult r = run_runtime({"exec", "--process", process_json.string(), bundle.id});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "from-file\n2\n/tmp\n");
}

TEST_F(Exec, DetachWritesThePidFileOfAProcessInTheContainer) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  const auto pid_file = test_dir() / "exec.pid";
  RunOptions to_file;  // the detached sleep keeps its stdio
  to_file.output_file = (test_dir() / "exec.out").string();
  RunResult r = run_runtime(
      {"exec", "-d", "--pid-file", pid_file.string(), bundle.id, "sleep", "100"}, to_file);
  ASSERT_EQ(r.exit_code, 0) << r;
  int pid = std::atoi(read_file(pid_file).c_str());
  ASSERT_GT(pid, 0);
  char buf[256] = {};
  std::string ns = "/proc/" + std::to_string(pid) + "/ns/pid";
  ASSERT_GT(readlink(ns.c_str(), buf, sizeof buf - 1), 0);
  EXPECT_EQ(std::string(buf), init_link(bundle.id, "ns/pid"));
}

TEST_F(Exec, MissingCommandExits255WithRuncsWords) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r = run_runtime({"exec", bundle.id, "no-such-command"});
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_TRUE(
      contains(r.err, "exec failed: exec: \"no-such-command\": executable file not found in $PATH"))
      << r;
}

TEST_F(Exec, StoppedContainerIsRefused) {
  Bundle bundle({"true"});
  create(bundle);
  ASSERT_EQ(run_runtime({"start", bundle.id}).exit_code, 0);
  ASSERT_TRUE(wait_for_status(bundle.id, "stopped"));
  RunResult r = run_runtime({"exec", bundle.id, "true"});
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_TRUE(contains(r.err, "exec failed: cannot exec in a stopped container")) << r;
  RunResult missing = run_runtime({"exec", "no-such-container", "true"});
  EXPECT_EQ(missing.exit_code, 255);
  EXPECT_TRUE(contains(missing.err, "does not exist")) << missing;
}

TEST_F(Exec, ExecInACreatedContainerWorks) {
  Bundle bundle({"sleep", "1000"});
  create(bundle);
  RunResult r = run_runtime({"exec", bundle.id, "echo", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "hello\n");
}

TEST_F(Exec, PreserveFdsPassesExactlyThatMany) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  const auto fd3 = test_dir() / "fd3", fd4 = test_dir() / "fd4";
  write_file(fd3, "three\n");
  write_file(fd4, "four\n");
  const std::string opens =
      "exec 3<" + shell_quote(fd3.string()) + " 4<" + shell_quote(fd4.string()) + "; ";
  const std::string exec = runtime_command_line() + " exec ";
  RunResult kept =
      shell(opens + exec + "--preserve-fds 1 " + bundle.id + " sh -c 'cat <&3; cat <&4'");
  EXPECT_EQ(kept.out, "three\n");
  EXPECT_TRUE(contains(kept.err, "Bad file descriptor")) << kept;
  RunResult none = shell(opens + exec + bundle.id + " sh -c 'cat <&3'");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_EQ(none.out, "");
}

TEST_F(Exec, PreserveFdsOnRun) {
  Bundle bundle({"sh", "-c", "cat <&3; ls /proc/self/fd"});
  bundle.write();
  const std::string fd3 = shell_quote((test_dir() / "fd3").string());
  write_file(test_dir() / "fd3", "three\n");
  RunResult r = shell("exec 3<" + fd3 + " 5<" + fd3 + "; " + runtime_command_line() +
                      " run --preserve-fds 1 --bundle " + shell_quote(bundle.dir().string()) + " " +
                      bundle.id);
  EXPECT_EQ(r.exit_code, 0) << r;
  // The preserved 3, then ls's own directory fd; 5 was not passed.
  EXPECT_EQ(r.out, "three\n0\n1\n2\n3\n4\n");
}

TEST_F(Exec, DetachedTtyWithoutConsoleSocketIsRefused) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  RunResult r = run_runtime({"exec", "-t", "-d", bundle.id, "true"});
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_TRUE(contains(r.err, "cannot allocate tty")) << r;
}

// runc's console protocol: the pty master arrives over the socket with SCM_RIGHTS.
TEST_F(Exec, TtyMasterIsSentToTheConsoleSocket) {
  Bundle bundle({"sleep", "1000"});
  start_sleeper(bundle);
  std::string path = (test_dir() / "console.sock").string();
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  RunResult r = run_runtime(
      {"exec", "-t", "-d", "--console-socket", path, bundle.id, "sh", "-c", "tty; sleep 2"});
  ASSERT_EQ(r.exit_code, 0) << r;
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
  // Only init's pty is bound on /dev/console (runc alike): an exec's leaves it alone.
  RunResult console =
      run_runtime({"exec", bundle.id, "sh", "-c", "test -e /dev/console || echo none"});
  EXPECT_EQ(console.out, "none\n") << console;
}

TEST_F(Exec, FeaturesPrintsTheSpecStructure) {
  RunResult r = run_runtime({"features"});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto f = json::parse(r.out);
  EXPECT_EQ(f["ociVersionMin"], "1.0.0");
  EXPECT_EQ(f["linux"]["seccomp"]["enabled"], true);
  EXPECT_FALSE(f["annotations"]["io.github.seccomp.libseccomp.version"].get<std::string>().empty());
}

}  // namespace
}  // namespace minirun::itest
