// The container's file system: a read-only root, bind and tmpfs mounts from config.json with
// their options, --no-pivot, masked paths of the config's own, and linux.devices.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class RunMounts : public LeakCheck {};

// Options of the /proc/mounts line for `target`, e.g. "ro,relatime"; empty if not mounted.
std::string mount_options(const std::string& proc_mounts, const std::string& target) {
  std::string options;
  for (const auto& line : split_lines(proc_mounts)) {
    std::istringstream fields(line);
    std::string source, mount_point, type, opts;
    fields >> source >> mount_point >> type >> opts;
    if (mount_point == target) options = opts;  // the last one is on top
  }
  return options;
}

bool has_option(const std::string& options, const std::string& option) {
  return contains("," + options + ",", "," + option + ",");
}

// Runs the bundle under runc too and applies the same runtime-neutral checks.
template <class Check>
void check_under_runc_too(Bundle& bundle, Check check) {
  if (!runc_available() || !is_minirun()) return;
  RunOptions runc;
  runc.binary = kRuncPath;
  runc.state_root = runc_state_root().string();
  const std::string id = bundle.id + "-runc";
  registry().container_ids.push_back(id);
  SCOPED_TRACE("under runc");
  check(run_runtime({"run", "--bundle", bundle.dir().string(), id}, runc));
}

// --- the root -----------------------------------------------------------------------------

TEST_F(RunMounts, ReadonlyRootRefusesWrites) {
  Bundle bundle({"sh", "-c", "grep ' / ' /proc/mounts; touch /x"});
  bundle.config["root"]["readonly"] = true;
  auto check = [&](const RunResult& r) {
    EXPECT_NE(r.exit_code, 0) << "touch /x must fail" << r;
    EXPECT_TRUE(has_option(mount_options(r.out, "/"), "ro")) << r;
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
  EXPECT_FALSE(std::filesystem::exists(bundle.rootfs() / "x"));
}

TEST_F(RunMounts, WritableRootWritesToTheBundle) {
  Bundle bundle({"sh", "-c", "echo inside > /made-inside"});
  bundle.config["root"]["readonly"] = false;
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(read_file(bundle.rootfs() / "made-inside"), "inside\n");
}

TEST_F(RunMounts, NoPivotRuns) {
  Bundle bundle({"sh", "-c", "cat /etc/hostname 2>/dev/null; ls /bin/busybox; hostname"});
  bundle.config["hostname"] = "no-pivot";
  RunResult r = run_container(bundle, {}, {"--no-pivot"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "/bin/busybox\nno-pivot\n") << r;
}

// --- mounts from the config -----------------------------------------------------------------

TEST_F(RunMounts, ReadOnlyBindMountOfAHostDirectory) {
  const auto host_dir = test_dir() / "host-data";
  std::filesystem::create_directories(host_dir);
  write_file(host_dir / "greeting", "from the host\n");
  Bundle bundle({"sh", "-c", "cat /data/greeting; grep ' /data ' /proc/mounts; touch /data/new"});
  bundle.config["mounts"].push_back({{"destination", "/data"},
                                     {"type", "bind"},
                                     {"source", host_dir.string()},
                                     {"options", {"rbind", "ro", "nosuid"}}});
  auto check = [&](const RunResult& r) {
    EXPECT_NE(r.exit_code, 0) << "touch /data/new must fail" << r;
    EXPECT_EQ(r.out_lines().at(0), "from the host") << r;
    const std::string options = mount_options(r.out, "/data");
    EXPECT_TRUE(has_option(options, "ro")) << options << r;
    EXPECT_TRUE(has_option(options, "nosuid")) << options << r;
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
  EXPECT_FALSE(std::filesystem::exists(host_dir / "new"));
  EXPECT_EQ(read_file(host_dir / "greeting"), "from the host\n");
}

TEST_F(RunMounts, WritableBindMountWritesThrough) {
  const auto host_dir = test_dir() / "host-rw";
  std::filesystem::create_directories(host_dir);
  Bundle bundle({"sh", "-c", "echo written > /rw/file"});
  bundle.config["mounts"].push_back({{"destination", "/rw"},
                                     {"type", "none"},
                                     {"source", host_dir.string()},
                                     {"options", {"bind"}}});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(read_file(host_dir / "file"), "written\n");
}

// runtime-spec: "Path values for bind mounts are either absolute or relative to the bundle."
// The runtime runs with the test's working directory, which is not the bundle.
TEST_F(RunMounts, RelativeBindSourceIsRelativeToTheBundle) {
  Bundle bundle({"cat", "/rel/file"});
  std::filesystem::create_directories(bundle.dir() / "shared");
  write_file(bundle.dir() / "shared/file", "next to config.json\n");
  bundle.config["mounts"].push_back({{"destination", "/rel"},
                                     {"type", "bind"},
                                     {"source", "shared"},
                                     {"options", {"rbind", "ro"}}});
  ASSERT_NE(std::filesystem::current_path(), bundle.dir());
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out, "next to config.json\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
}

TEST_F(RunMounts, BindMountOfAFile) {
  const auto host_file = test_dir() / "host-file";
  write_file(host_file, "one file\n");
  Bundle bundle({"sh", "-c", "cat /etc/from-host; echo more >> /etc/from-host"});
  bundle.config["mounts"].push_back({{"destination", "/etc/from-host"},
                                     {"type", "none"},
                                     {"source", host_file.string()},
                                     {"options", {"bind", "ro"}}});
  auto check = [&](const RunResult& r) {
    EXPECT_NE(r.exit_code, 0) << "the file is mounted read-only" << r;
    EXPECT_EQ(r.out, "one file\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
  EXPECT_EQ(read_file(host_file), "one file\n");
}

TEST_F(RunMounts, TmpfsWithSizeAndMode) {
  Bundle bundle({"sh", "-c", "grep ' /scratch ' /proc/mounts; stat -c %a /scratch"});
  bundle.config["mounts"].push_back({{"destination", "/scratch"},
                                     {"type", "tmpfs"},
                                     {"source", "tmpfs"},
                                     {"options", {"nosuid", "nodev", "size=1m", "mode=0700"}}});
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    const std::string options = mount_options(r.out, "/scratch");
    for (const char* o : {"rw", "nosuid", "nodev", "size=1024k", "mode=700"}) {
      EXPECT_TRUE(has_option(options, o)) << o << " missing in " << options << r;
    }
  };
  RunResult r = run_container(bundle);
  check(r);
  // runc chmods the tmpfs root to the mode the directory it created had (755) after mounting;
  // minirun leaves what mode= asked for.
  EXPECT_EQ(r.out_lines().back(), "700") << r;
  check_under_runc_too(bundle, check);
}

// --- masked paths, devices ----------------------------------------------------------------

// A masked directory shows empty (a read-only tmpfs over it), a masked file reads as
// /dev/null; what the rootfs holds there is unchanged.
TEST_F(RunMounts, MaskedPathsOfTheConfigsOwn) {
  Bundle bundle(
      {"sh", "-c", "ls -A /secret-dir | wc -l; wc -c < /etc/secret-file; touch /secret-dir/x"});
  std::filesystem::create_directories(bundle.rootfs() / "secret-dir");
  write_file(bundle.rootfs() / "secret-dir/inside", "hidden\n");
  write_file(bundle.rootfs() / "etc/secret-file", "hidden\n");
  bundle.config["linux"]["maskedPaths"].push_back("/secret-dir");
  bundle.config["linux"]["maskedPaths"].push_back("/etc/secret-file");
  bundle.config["linux"]["maskedPaths"].push_back("/does/not/exist");  // ignored, as in runc
  auto check = [&](const RunResult& r) {
    EXPECT_NE(r.exit_code, 0) << "a masked directory is read-only" << r;
    EXPECT_EQ(r.out, "0\n0\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
  EXPECT_EQ(read_file(bundle.rootfs() / "secret-dir/inside"), "hidden\n");
  EXPECT_FALSE(std::filesystem::exists(bundle.rootfs() / "secret-dir/x"));
}

TEST_F(RunMounts, ReadonlyPathOfTheConfigsOwn) {
  Bundle bundle({"sh", "-c", "cat /srv/data; echo changed > /srv/data"});
  bundle.config["root"]["readonly"] = false;
  std::filesystem::create_directories(bundle.rootfs() / "srv");
  write_file(bundle.rootfs() / "srv/data", "original\n");
  bundle.config["linux"]["readonlyPaths"].push_back("/srv");
  RunResult r = run_container(bundle);
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "original\n") << r;
  EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
  EXPECT_EQ(read_file(bundle.rootfs() / "srv/data"), "original\n");
}

// Init masks and makes read-only what no later mount can touch before it waits for the
// parent (rootfs_order.hpp). A mount listed after sysfs over such a path must still end up
// under the mask, as when runc masks after every mount.
TEST_F(RunMounts, MaskedAndReadonlyPathsHoldOverALaterMount) {
  Bundle bundle({"sh", "-c",
                 "touch /secret-dir/x 2>/dev/null || echo masked read-only;"
                 " touch /srv/x 2>/dev/null || echo srv read-only; ls -A /secret-dir | wc -l"});
  bundle.config["mounts"].push_back(
      {{"destination", "/secret-dir"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  bundle.config["mounts"].push_back(
      {{"destination", "/srv"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  bundle.config["linux"]["maskedPaths"].push_back("/secret-dir");
  bundle.config["linux"]["readonlyPaths"].push_back("/srv");
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out, "masked read-only\nsrv read-only\n0\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
}

// The same through a symlink of the rootfs: the later mount's destination, /lnk/secret, is
// the masked /opt/secret. Paths as written do not show it; init checks before it moves steps.
TEST_F(RunMounts, AMaskHoldsOverALaterMountReachedThroughASymlink) {
  Bundle bundle({"sh", "-c", "touch /opt/secret/x 2>/dev/null || echo masked read-only"});
  std::filesystem::create_directories(bundle.rootfs() / "opt/secret");
  std::filesystem::create_symlink("/opt", bundle.rootfs() / "lnk");
  bundle.config["mounts"].push_back(
      {{"destination", "/lnk/secret"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
  bundle.config["linux"]["maskedPaths"].push_back("/opt/secret");
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out, "masked read-only\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
}

// A createContainer hook runs after the mounts, in the container's mount namespace, and may
// mount into the rootfs (GPU hooks do); runc masks after it, so the mask is on top.
TEST_F(RunMounts, AMaskHoldsOverWhatACreateContainerHookMounts) {
  Bundle bundle({"sh", "-c", "touch /secret-dir/x 2>/dev/null || echo masked read-only"});
  std::filesystem::create_directories(bundle.rootfs() / "secret-dir");
  bundle.config["linux"]["maskedPaths"].push_back("/secret-dir");
  bundle.config["hooks"]["createContainer"] = {
      {{"path", "/bin/sh"},
       {"args",
        {"sh", "-c", "mount -t tmpfs hooked " + (bundle.rootfs() / "secret-dir").string()}}}};
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out, "masked read-only\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
}

// Runs argv with mount_setattr(2) failing ENOSYS, as on a kernel before 5.12: the filter is
// inherited by minirun's init. Returns the exit code; stdout goes to `out`.
int run_without_mount_setattr(const std::vector<std::string>& argv, std::string& out) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mount_setattr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog prog{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) _exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  char buf[512];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Readonly paths use mount_setattr(2) (Linux 5.12); before it, the bind-and-remount runc does.
TEST_F(RunMounts, ReadonlyPathsWithoutMountSetattr) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  Bundle bundle({"sh", "-c", "touch /srv/x 2>/dev/null || echo srv read-only"});
  bundle.config["root"]["readonly"] = false;
  std::filesystem::create_directories(bundle.rootfs() / "srv");
  bundle.config["linux"]["readonlyPaths"].push_back("/srv");
  bundle.write();
  std::string out;
  EXPECT_EQ(run_without_mount_setattr(run_argv(bundle), out), 0) << out;
  EXPECT_EQ(out, "srv read-only\n");
}

TEST_F(RunMounts, DeviceFromLinuxDevices) {
  Bundle bundle({"sh", "-c",
                 "stat -c '%F %t:%T %a %u:%g' /dev/mynull; echo data > /dev/mynull && echo wrote;"
                 " wc -c < /dev/mynull"});
  bundle.config["linux"]["devices"] = {{{"path", "/dev/mynull"},
                                        {"type", "c"},
                                        {"major", 1},
                                        {"minor", 3},
                                        {"fileMode", 0640},
                                        {"uid", 0},
                                        {"gid", 5}}};
  bundle.config["linux"]["resources"]["devices"].push_back(
      {{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 3}, {"access", "rwm"}});
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out, "character special file 1:3 640 0:5\nwrote\n0\n") << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
}

TEST_F(RunMounts, DefaultDevicesAreThere) {
  Bundle bundle(
      {"sh", "-c",
       "for d in null zero full random urandom tty; do stat -c '%n %F %t:%T' /dev/$d;"
       " done; for l in fd stdin stdout stderr; do readlink /dev/$l; done; ls /dev/pts/ptmx"});
  auto check = [&](const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.out_lines(),
              (std::vector<std::string>{
                  "/dev/null character special file 1:3", "/dev/zero character special file 1:5",
                  "/dev/full character special file 1:7", "/dev/random character special file 1:8",
                  "/dev/urandom character special file 1:9", "/dev/tty character special file 5:0",
                  "/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2",
                  "/dev/pts/ptmx"}))
        << r;
  };
  check(run_container(bundle));
  check_under_runc_too(bundle, check);
}

}  // namespace
}  // namespace minirun::itest
