// Attacks from inside a container on the host (issue 11, items 1-3), each performed through
// the real binary and run under runc as well:
//  - the runtime's binary (CVE-2019-5736): a copy of it is what the containers attack, so a
//    success only ever damages the copy;
//  - host directories held by the runtime's processes, or leaked by the caller (CVE-2024-21626);
//  - a bundle the container rewrote between create and exec.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class SecurityEscape : public LeakCheck {
 protected:
  void SetUp() override {
    LeakCheck::SetUp();
    // The runtime under test, copied: every attack below aims at the copy.
    binary_ = test_dir() / fs::path(runtime_binary()).filename();
    fs::copy_file(runtime_binary(), binary_);
    original_ = read_file(binary_);
  }

  // `<copy> --root <state root> ARGS...`
  RunResult runtime(const std::vector<std::string>& args, RunOptions opts = {}) {
    opts.binary = binary_.string();
    return run_runtime(args, opts);
  }

  // The copy is still byte for byte the binary it was made from.
  bool binary_intact() const { return read_file(binary_) == original_; }

  // A bundle whose container may ptrace (the strongest attacker the issue names) and holds
  // the attacker program as /attacker.
  void arm(Bundle& bundle) {
    for (const char* set : {"bounding", "effective", "permitted"})
      bundle.config["process"]["capabilities"][set].push_back("CAP_SYS_PTRACE");
    fs::copy_file(EXE_ATTACKER, bundle.rootfs() / "attacker");
  }

  // The attacker's last line once it has finished (it writes to the file it was given).
  static std::string verdict(const fs::path& out) {
    for (int i = 0; i < 200; ++i) {
      std::string text = fs::exists(out) ? read_file(out) : "";
      if (contains(text, "WROTE") || contains(text, "SAFE")) return trim(text);
      usleep(50 * 1000);
    }
    return "attacker did not finish";
  }

  void create(Bundle& bundle) {
    delete_at_end(bundle.id);
    bundle.write();
    RunResult r = runtime({"create", "--bundle", bundle.dir().string(), bundle.id});
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  void run_detached_copy(Bundle& bundle, const fs::path& out) {
    delete_at_end(bundle.id);
    bundle.write();
    RunOptions opts;
    opts.output_file = out.string();
    RunResult r = runtime({"run", "-d", "--bundle", bundle.dir().string(), bundle.id}, opts);
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  fs::path binary_;
  std::string original_;
};

// A created container's init is the runtime until `start`: an exec'd process opens its
// /proc/1/exe, and writes through it once init has exec'd the container's process.
TEST_F(SecurityEscape, HostBinaryOutOfReachFromACreatedInit) {
  Bundle bundle({"sleep", "10"});
  arm(bundle);
  create(bundle);
  fs::path out = test_dir() / "attacker.out";
  RunOptions detached;
  detached.output_file = out.string();
  RunResult exec = runtime({"exec", "-d", bundle.id, "/attacker", "3"}, detached);
  ASSERT_EQ(exec.exit_code, 0) << exec;
  usleep(300 * 1000);  // the attacker holds /proc/1/exe by now
  RunResult start = runtime({"start", bundle.id});
  EXPECT_EQ(start.exit_code, 0) << start;
  std::string result = verdict(out);
  EXPECT_TRUE(contains(result, "SAFE")) << result;
  EXPECT_TRUE(binary_intact()) << result;
}

// The interpreter variant: an exec'd script that starts `#!/proc/self/exe` makes the kernel
// run the runtime's binary again, as a fresh process in the container.
TEST_F(SecurityEscape, HostBinaryOutOfReachThroughAProcSelfExeScript) {
  Bundle bundle({"/attacker", "3"});
  arm(bundle);
  write_script(bundle.rootfs() / "evil", "#!/proc/self/exe\n");
  fs::path out = test_dir() / "attacker.out";
  run_detached_copy(bundle, out);
  usleep(200 * 1000);
  for (int i = 0; i < 5; ++i) runtime({"exec", bundle.id, "/evil"});
  std::string result = verdict(out);
  EXPECT_TRUE(contains(result, "SAFE")) << result;
  EXPECT_TRUE(binary_intact()) << result;
}

// A plain exec: its child is the runtime from fork to execve, visible in the container.
TEST_F(SecurityEscape, HostBinaryOutOfReachFromAnExecChild) {
  Bundle bundle({"/attacker", "3"});
  arm(bundle);
  fs::path out = test_dir() / "attacker.out";
  run_detached_copy(bundle, out);
  usleep(200 * 1000);
  for (int i = 0; i < 20; ++i) runtime({"exec", bundle.id, "true"});
  std::string result = verdict(out);
  EXPECT_TRUE(contains(result, "SAFE")) << result;
  EXPECT_TRUE(binary_intact()) << result;
}

// A second container joins the first one's pid namespace with /proc/self/exe as its process:
// both its init and what it execs are the runtime, in sight of the first container.
TEST_F(SecurityEscape, HostBinaryOutOfReachFromAContainerJoiningThePidNamespace) {
  Bundle attacker({"/attacker", "3"});
  arm(attacker);
  fs::path out = test_dir() / "attacker.out";
  run_detached_copy(attacker, out);
  usleep(200 * 1000);
  int pid = container_state(attacker.id)["pid"];
  for (int i = 0; i < 3; ++i) {
    Bundle joiner({"/proc/self/exe", "--version"});
    joiner.id = attacker.id + "-joiner" + std::to_string(i);
    for (auto& ns : joiner.config["linux"]["namespaces"])
      if (ns["type"] == "pid") ns["path"] = "/proc/" + std::to_string(pid) + "/ns/pid";
    joiner.write();
    RunResult r = runtime({"run", "--bundle", joiner.dir().string(), joiner.id});
    EXPECT_NE(r.exit_code, -1) << r;
  }
  std::string result = verdict(out);
  EXPECT_TRUE(contains(result, "SAFE")) << result;
  EXPECT_TRUE(binary_intact()) << result;
}

// --- host directories ---------------------------------------------------------------------

// Between create and start, every fd of init must lead nowhere on the host: a container
// process that may ptrace walks up from each one and looks for a file in the test's host
// directory.
TEST_F(SecurityEscape, NoHostDirectoryThroughACreatedInitsFds) {
  Bundle bundle({"true"});
  arm(bundle);
  const fs::path marker = test_dir() / "host-marker";
  write_file(marker, "host\n");
  create(bundle);
  std::string ups;
  for (int i = 0; i < 20; ++i) ups += "/..";
  RunResult r = runtime({"exec", bundle.id, "sh", "-c",
                         "for f in /proc/1/fd/*; do"
                         "  if cd -P $f" +
                             ups + " 2>/dev/null && test -e ." + marker.string() +
                             "; then echo REACHED via $f; fi; "
                             "done; ls /proc/1/fd | wc -l"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_FALSE(contains(r.out, "REACHED")) << r;
}

// A descriptor the caller leaked (fd 7, a host directory) must not become exec's cwd.
TEST_F(SecurityEscape, ExecRefusesACwdOutsideTheContainer) {
  Bundle bundle({"sleep", "10"});
  write_file(test_dir() / "host-marker", "host\n");
  delete_at_end(bundle.id);
  RunResult run = run_detached(bundle);
  ASSERT_EQ(run.exit_code, 0) << run;
  RunResult r =
      shell("exec 7<" + shell_quote(test_dir().string()) + "; " + shell_quote(binary_.string()) +
            " --root " + shell_quote(state_root().string()) + " exec --cwd /proc/self/fd/7 " +
            bundle.id + " ls");
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_FALSE(contains(r.out, "host-marker")) << r;
  EXPECT_FALSE(contains(r.out, "unreachable")) << r;
  EXPECT_FALSE(contains(r.out, test_dir().string())) << r;
}

// The same through config.json: a cwd under /proc/self/fd that --preserve-fds keeps open.
TEST_F(SecurityEscape, RunRefusesACwdOutsideTheContainer) {
  Bundle bundle({"pwd"});
  bundle.config["process"]["cwd"] = "/proc/self/fd/3";
  bundle.write();
  RunResult r =
      shell("exec 3<" + shell_quote(test_dir().string()) + "; " + shell_quote(binary_.string()) +
            " --root " + shell_quote(state_root().string()) + " run --preserve-fds 1 --bundle " +
            shell_quote(bundle.dir().string()) + " " + bundle.id);
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_FALSE(contains(r.out, "unreachable")) << r;
  EXPECT_FALSE(contains(r.out, test_dir().string())) << r;
}

// --- what exec trusts ---------------------------------------------------------------------

// The rootfs is the bundle itself (root.path "."), so the container can rewrite config.json:
// it drops its namespaces and grants CAP_SYS_ADMIN. The admin's next exec must still land in
// the container's namespaces with the container's capabilities.
TEST_F(SecurityEscape, ExecIgnoresAConfigTheContainerRewrote) {
  Bundle bundle({"sh", "-c", "cp /evil.json /config.json && sleep 10"});
  bundle.config["root"] = {{"path", "."}, {"readonly", false}};
  json evil = bundle.config;
  evil["linux"]["namespaces"] = json::array();
  for (const char* set : {"bounding", "effective", "permitted"})
    evil["process"]["capabilities"][set].push_back("CAP_SYS_ADMIN");
  // The bundle is the rootfs directory: config.json sits beside busybox's /bin.
  const fs::path dir = bundle.rootfs();
  write_file(dir / "config.json", bundle.config.dump(2));
  write_file(dir / "evil.json", evil.dump(2));
  delete_at_end(bundle.id);
  RunOptions detached;
  detached.output_file = (test_dir() / "c.out").string();
  RunResult run = runtime({"run", "-d", "--bundle", dir.string(), bundle.id}, detached);
  ASSERT_EQ(run.exit_code, 0) << run;
  for (int i = 0; i < 100 && read_file(dir / "config.json") != evil.dump(2); ++i) usleep(20 * 1000);
  ASSERT_EQ(read_file(dir / "config.json"), evil.dump(2)) << "the container did not rewrite it";

  RunResult r = runtime({"exec", bundle.id, "sh", "-c",
                         "for n in pid net mnt; do readlink /proc/self/ns/$n; done;"
                         " grep CapEff /proc/self/status"});
  EXPECT_EQ(r.exit_code, 0) << r;
  int pid = container_state(bundle.id)["pid"];
  std::string expected;
  for (const char* ns : {"pid", "net", "mnt"})
    expected += fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/" + ns).string() + "\n";
  std::string init_caps = trim(shell("grep CapEff /proc/" + std::to_string(pid) + "/status").out);
  EXPECT_TRUE(r.out.starts_with(expected)) << r;
  // runc (1.1.5) joins init's namespaces too, but takes the process, capabilities included,
  // from the bundle's config.json again: this part is where minirun is stricter.
  if (is_minirun()) {
    EXPECT_EQ(r.out, expected + init_caps + "\n") << r;
  }
}

}  // namespace
}  // namespace minirun::itest
