// What a user namespace forbids, run by a real unprivileged user: sysctls its namespaces do not
// hand to it, device nodes (bound from the host, as runc does, since mknod cannot make them),
// and mounts the kernel refuses there. Each refusal is one line naming the config field and the
// reason, exit 1, and leaves nothing behind: no state, no process of the user, no mount
// (LeakCheck).
//
// Under runc 1.1.5 (MINIRUN_TEST_BINARY=/usr/sbin/runc) the same cases fail with exit 1 too,
// mostly later (after the container was made) and in the kernel's words, and a device node the
// host has at the config's path but as another device is bound without a word; the tests check
// runc's own message where they differ (docs/runc-differences.md, rootless).
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "rootless_fixture.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class RootlessRefusals : public Rootless {
 protected:
  // Runs the bundle as the user and checks a refusal: exit 1, the message (minirun's: its
  // only line; runc's: anywhere in its log), and nothing left of the container.
  void expect_refused(Bundle& bundle, const std::string& minirun_says,
                      const std::string& runc_says) {
    RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_FALSE(contains(r.out, "RAN")) << r;
    if (is_minirun()) {
      EXPECT_TRUE(contains(r.err, minirun_says)) << r;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
    } else {
      EXPECT_TRUE(contains(r.err, runc_says)) << r;
    }
    EXPECT_FALSE(fs::exists(user_root() / bundle.id)) << "state of " << bundle.id << " left";
    EXPECT_TRUE(no_processes_of(uid_));
  }

  // The mount at `destination` replaced by `mount` (appended when there is none).
  static void set_mount(Bundle& bundle, const json& mount) {
    json& mounts = bundle.config["mounts"];
    for (auto& m : mounts)
      if (m["destination"] == mount["destination"]) {
        m = mount;
        return;
      }
    mounts.push_back(mount);
  }

  static void remove_mount(Bundle& bundle, const std::string& destination) {
    json& mounts = bundle.config["mounts"];
    for (auto it = mounts.begin(); it != mounts.end(); ++it)
      if ((*it)["destination"] == destination) {
        mounts.erase(it);
        return;
      }
  }

  // The JSON pointer of the mount at `destination`.
  static std::string mount_pointer(const Bundle& bundle, const std::string& destination) {
    const json& mounts = bundle.config["mounts"];
    for (size_t i = 0; i < mounts.size(); ++i)
      if (mounts[i]["destination"] == destination) return "/mounts/" + std::to_string(i);
    return "/mounts/?";
  }

  // A tmpfs the host mounts ro,nodev under the test's directory (flags a user namespace cannot
  // clear on a bind of it), unmounted when the test ends.
  struct LockedMount {
    fs::path path = test_dir() / "locked";
    bool mounted = false;
    LockedMount() {
      fs::create_directories(path);
      mounted =
          run_process({"mount", "-t", "tmpfs", "-o", "ro,nodev", "tmpfs", path}).exit_code == 0;
    }
    ~LockedMount() {
      if (mounted) run_process({"umount", path.string()});
    }
  };

  static json sysfs_mount() {
    return {{"destination", "/sys"},
            {"type", "sysfs"},
            {"source", "sysfs"},
            {"options", {"nosuid", "noexec", "nodev", "ro"}}};
  }
};

// ---- sysctls ----------------------------------------------------------------------------------

TEST_F(RootlessRefusals, AnIpcSysctlWithoutItsOwnIpcNamespace) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.remove_namespace("ipc");
  remove_mount(bundle, "/dev/mqueue");
  bundle.set_sysctl("kernel.shm_rmid_forced", "1");
  bundle.write();
  expect_refused(bundle,
                 "config.json: /linux/sysctl/kernel.shm_rmid_forced: sysctl "
                 "\"kernel.shm_rmid_forced\" is not allowed in the hosts ipc namespace",
                 "sysctl \\\"kernel.shm_rmid_forced\\\" is not allowed in the hosts ipc namespace");
}

TEST_F(RootlessRefusals, ANetSysctlWithoutItsOwnNetworkNamespace) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.remove_namespace("network");
  set_mount(bundle, {{"destination", "/sys"},
                     {"type", "none"},
                     {"source", "/sys"},
                     {"options", {"rbind", "nosuid", "noexec", "nodev", "ro"}}});
  bundle.set_sysctl("net.ipv4.ip_forward", "1");
  bundle.write();
  expect_refused(bundle,
                 "config.json: /linux/sysctl/net.ipv4.ip_forward: sysctl \"net.ipv4.ip_forward\" "
                 "not allowed in host network namespace",
                 "sysctl \\\"net.ipv4.ip_forward\\\" not allowed in host network namespace");
}

TEST_F(RootlessRefusals, ASysctlNoNamespaceHolds) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.set_sysctl("vm.swappiness", "10");
  bundle.write();
  expect_refused(bundle,
                 "config.json: /linux/sysctl/vm.swappiness: sysctl \"vm.swappiness\" is not in a "
                 "separate kernel namespace",
                 "sysctl \\\"vm.swappiness\\\" is not in a separate kernel namespace");
}

// kernel.domainname is the container's UTS namespace's, but the kernel leaves its file to the
// host's root: the container's root (the user) cannot open it for writing.
TEST_F(RootlessRefusals, ASysctlFileTheKernelLeavesToTheHostsRoot) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.set_sysctl("kernel.domainname", "example.org");
  bundle.write();
  expect_refused(bundle,
                 "config.json: /linux/sysctl/kernel.domainname: not permitted in a user "
                 "namespace (/proc/sys/kernel/domainname stays the host root's): sysctl: write "
                 "kernel.domainname = \"example.org\": open kernel/domainname: Permission denied",
                 "open /proc/sys/kernel/domainname: permission denied");
}

// ---- device nodes -----------------------------------------------------------------------------

// mknod cannot make a device in a user namespace: the host's node is bound, as runc does.
TEST_F(RootlessRefusals, ADeviceIsTheHostsNodeBound) {
  struct stat host {};
  if (stat("/dev/fuse", &host) != 0 || !S_ISCHR(host.st_mode)) GTEST_SKIP() << "no /dev/fuse";
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(
      bundle, {"sh", "-c", "stat -c '%t:%T' /dev/fuse; grep ' /dev/fuse ' /proc/self/mountinfo"}));
  bundle.config["linux"]["devices"] = {{{"path", "/dev/fuse"},
                                        {"type", "c"},
                                        {"major", major(host.st_rdev)},
                                        {"minor", minor(host.st_rdev)},
                                        {"fileMode", 0666},
                                        {"uid", 0},
                                        {"gid", 0}}};
  bundle.write();
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  ASSERT_EQ(r.exit_code, 0) << r;
  std::ostringstream numbers;
  numbers << std::hex << major(host.st_rdev) << ":" << minor(host.st_rdev) << "\n";
  EXPECT_TRUE(contains(r.out, numbers.str())) << r;
  EXPECT_TRUE(contains(r.out, " /dev/fuse ")) << r;  // a bind mount, not a node of its own
  EXPECT_TRUE(no_processes_of(uid_));
}

TEST_F(RootlessRefusals, ADeviceTheHostHasNotIsRefusedBeforeAnythingExists) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.config["linux"]["devices"] = {
      {{"path", "/dev/null"}, {"type", "c"}, {"major", 1}, {"minor", 3}},
      {{"path", "/dev/mr-no-such-node"}, {"type", "c"}, {"major", 1}, {"minor", 3}}};
  bundle.write();
  expect_refused(bundle,
                 "config.json: /linux/devices/1: in a user namespace device nodes cannot be "
                 "made, the host's node at the same path is bound: stat /dev/mr-no-such-node on "
                 "the host: No such file or directory",
                 "error creating device nodes: mount /dev/mr-no-such-node:");
}

// runc binds whatever the host has at the path: the container gets another device than the
// one its config names, without a word. minirun refuses.
TEST_F(RootlessRefusals, ADeviceTheHostHasAsAnotherDevice) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"sh", "-c", "stat -c '%t:%T' /dev/zero"}));
  bundle.config["linux"]["devices"] = {
      {{"path", "/dev/zero"}, {"type", "c"}, {"major", 1}, {"minor", 3}}};
  bundle.write();
  if (!is_minirun()) {
    RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_TRUE(contains(r.out, "1:5\n")) << r;  // the host's /dev/zero, not 1:3
    return;
  }
  expect_refused(bundle,
                 "config.json: /linux/devices/0: in a user namespace device nodes cannot be "
                 "made, the host's node at the same path is bound, and the host's /dev/zero is "
                 "c 1:5, not c 1:3",
                 "");
}

// ---- mounts -----------------------------------------------------------------------------------

TEST_F(RootlessRefusals, SysfsWithoutItsOwnNetworkNamespace) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.remove_namespace("network");
  set_mount(bundle, sysfs_mount());
  bundle.write();
  expect_refused(bundle,
                 "config.json: " + mount_pointer(bundle, "/sys") +
                     ": mount sysfs on /sys: not permitted in a user namespace without its own "
                     "network namespace (add \"network\" to /linux/namespaces, or bind-mount /sys "
                     "instead)",
                 "error mounting \\\"sysfs\\\" to rootfs at \\\"/sys\\\": mount sysfs:/sys (via "
                 "/proc/self/fd/6), flags: 0xf: operation not permitted");
}

TEST_F(RootlessRefusals, ProcWithoutItsOwnPidNamespace) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.remove_namespace("pid");
  bundle.write();
  expect_refused(bundle,
                 "config.json: " + mount_pointer(bundle, "/proc") +
                     ": mount proc on /proc: not permitted in a user namespace without its own "
                     "pid namespace (add \"pid\" to /linux/namespaces, or bind-mount /proc "
                     "instead)",
                 "error mounting \\\"proc\\\" to rootfs at \\\"/proc\\\"");
}

TEST_F(RootlessRefusals, MqueueWithoutItsOwnIpcNamespace) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.remove_namespace("ipc");
  bundle.write();
  expect_refused(bundle,
                 "config.json: " + mount_pointer(bundle, "/dev/mqueue") +
                     ": mount mqueue on /dev/mqueue: not permitted in a user namespace without "
                     "its own ipc namespace (add \"ipc\" to /linux/namespaces, or bind-mount "
                     "/dev/mqueue instead)",
                 "error mounting \\\"mqueue\\\" to rootfs at \\\"/dev/mqueue\\\"");
}

// A config written for root keeps devpts' gid=5 (tty), which the user namespace does not map.
TEST_F(RootlessRefusals, AMountOptionNamingAnUnmappedGid) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  const std::string pts = mount_pointer(bundle, "/dev/pts");
  json& options = bundle.config["mounts"][std::stoi(pts.substr(8))]["options"];
  options.push_back("gid=5");
  bundle.write();
  expect_refused(bundle,
                 "config.json: " + pts + "/options/" + std::to_string(options.size() - 1) +
                     ": cannot specify gid= mount options for unmapped gid in a user namespace: "
                     "/linux/gidMappings does not map gid 5",
                 "cannot specify gid= mount options for unmapped gid in rootless containers");
}

// A block filesystem: the kernel mounts in a user namespace only filesystems made for it.
TEST_F(RootlessRefusals, ABlockFilesystem) {
  struct stat st {};
  ASSERT_EQ(stat(test_dir().c_str(), &st), 0);
  const std::string device =
      "/dev/block/" + std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  set_mount(bundle, {{"destination", "/mnt"},
                     {"type", "ext4"},
                     {"source", device},
                     {"options", {"ro", "nosuid", "nodev"}}});
  bundle.write();
  expect_refused(bundle,
                 "config.json: " + mount_pointer(bundle, "/mnt") +
                     ": not permitted in a user namespace (the kernel lets it mount only "
                     "filesystems made for user namespaces, such as tmpfs, devpts, overlay and "
                     "fuse): mount: mount ext4 on /mnt (in rootfs): Operation not permitted",
                 "to rootfs at \\\"/mnt\\\": mount " + device +
                     ":/mnt (via /proc/self/fd/6), flags: 0x7: operation not permitted");
}

// The source's mount is read-only and nodev on the host: in a user namespace those flags are
// locked, and a bind whose options clear one ("dev") cannot be remounted.
TEST_F(RootlessRefusals, ABindThatClearsAFlagTheHostLocked) {
  LockedMount host_mount;
  ASSERT_TRUE(host_mount.mounted);
  const fs::path& locked = host_mount.path;
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  set_mount(bundle, {{"destination", "/mnt"},
                     {"type", "bind"},
                     {"source", locked.string()},
                     {"options", {"rbind", "nosuid", "dev"}}});
  bundle.write();
  expect_refused(bundle,
                 "config.json: " + mount_pointer(bundle, "/mnt") +
                     ": not permitted in a user namespace (a bind may not clear a flag the host "
                     "set on the source's mount: ro, nosuid, nodev, noexec or an atime flag): "
                     "mount: remount bind mount /mnt (in rootfs) with its options: Operation not "
                     "permitted",
                 "to rootfs at \\\"/mnt\\\": mount " + locked.string() + ":/mnt");
}

// The same locked flags, with options that only add one (nosuid): minirun remounts keeping
// ro and nodev, and the container runs. runc 1.1.5's remount drops them and fails (EPERM).
TEST_F(RootlessRefusals, ABindAddingAFlagKeepsTheFlagsTheHostLocked) {
  LockedMount host_mount;
  ASSERT_TRUE(host_mount.mounted);
  const fs::path& locked = host_mount.path;
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"grep", " /mnt ", "/proc/self/mountinfo"}));
  set_mount(bundle, {{"destination", "/mnt"},
                     {"type", "bind"},
                     {"source", locked.string()},
                     {"options", {"rbind", "nosuid"}}});
  bundle.write();
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  if (!is_minirun()) {
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_TRUE(contains(r.err, "operation not permitted")) << r;
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, " /mnt ro,nosuid,nodev,")) << r;
  EXPECT_TRUE(no_processes_of(uid_));
}

// A bind source under a directory the user may not search.
TEST_F(RootlessRefusals, ABindSourceTheUserCannotReach) {
  const fs::path hidden = test_dir() / "root-only";
  fs::create_directories(hidden);
  ASSERT_EQ(chmod(hidden.c_str(), 0700), 0);
  write_file(hidden / "secret", "x");
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  set_mount(bundle, {{"destination", "/mnt"},
                     {"type", "bind"},
                     {"source", (hidden / "secret").string()},
                     {"options", {"bind", "ro"}}});
  bundle.write();
  expect_refused(
      bundle,
      "config.json: " + mount_pointer(bundle, "/mnt") +
          ": not permitted in a user namespace (the container's root is an ordinary user on "
          "the host, which denies it access): mount: open bind source " +
          (hidden / "secret").string() + " for /mnt: Permission denied",
      "stat " + (hidden / "secret").string() + ": permission denied");
}

// Process settings a user may not raise or lower: the kernel checks them against the host's
// user namespace, where the user has no capability.
TEST_F(RootlessRefusals, ANegativeOomScoreAdj) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.config["process"]["oomScoreAdj"] = -500;
  bundle.write();
  expect_refused(bundle,
                 "oom_score_adj: process.oomScoreAdj -500: lowering it takes CAP_SYS_RESOURCE on "
                 "the host, which this process lacks",
                 "oom_score_adj");
}

TEST_F(RootlessRefusals, AHardRlimitAboveTheUsers) {
  struct rlimit now {};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &now), 0);
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  const uint64_t above = now.rlim_max + 1000;
  bundle.config["process"]["rlimits"] =
      json::array({{{"type", "RLIMIT_NOFILE"}, {"soft", 1024}, {"hard", above}}});
  bundle.write();
  expect_refused(bundle,
                 "process.rlimits RLIMIT_NOFILE: hard limit " + std::to_string(above) +
                     " is above the current " + std::to_string(now.rlim_max) +
                     ", and raising one takes CAP_SYS_RESOURCE on the host",
                 "operation not permitted");
}

// runc 1.1.5 knows neither process.scheduler nor process.ioPriority (they came in runtime-spec
// 1.2) and runs the container without them.
TEST_F(RootlessRefusals, ARealTimeScheduler) {
  if (!is_minirun()) GTEST_SKIP() << "runc 1.1.5 ignores process.scheduler";
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.config["process"]["scheduler"] = {{"policy", "SCHED_FIFO"}, {"priority", 10}};
  bundle.write();
  expect_refused(bundle,
                 "process.scheduler: a real-time or deadline policy, or a lower nice, takes "
                 "CAP_SYS_NICE on the host",
                 "");
}

TEST_F(RootlessRefusals, ARealTimeIoPriority) {
  if (!is_minirun()) GTEST_SKIP() << "runc 1.1.5 ignores process.ioPriority";
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"echo", "RAN"}));
  bundle.config["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_RT"}, {"priority", 0}};
  bundle.write();
  expect_refused(bundle,
                 "process.ioPriority: the real-time class takes CAP_SYS_NICE or CAP_SYS_ADMIN on "
                 "the host",
                 "");
}

}  // namespace
}  // namespace minirun::itest
