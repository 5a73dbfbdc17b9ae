// Issue 12, items 4 and 5: the environment runc gives a container process (HOME from the
// container's /etc/passwd, each key once), and flags or config fields that minirun used to
// accept and then ignore: each now works or is refused with one line, as runc does where it
// refuses. Run beside runc: MINIRUN_TEST_BINARY=/usr/sbin/runc ... --gtest_filter='Compat*'.
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

// The container's own passwd: root's home differs from the host's (/root), so a HOME of
// /container-root can only come from the container's file.
constexpr const char* kPasswd =
    "root:x:0:0:root:/container-root:/bin/sh\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n";

// The values of KEY in `env` output, in order.
std::vector<std::string> values_of(const std::string& env_output, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& line : split_lines(env_output))
    if (line.rfind(key + "=", 0) == 0) out.push_back(line.substr(key.size() + 1));
  return out;
}

using Values = std::vector<std::string>;

class CompatHome : public LeakCheck {
 protected:
  // A bundle whose process prints its environment, with kPasswd as its /etc/passwd.
  static void prepare(Bundle& bundle) {
    write_file(bundle.rootfs() / "etc/passwd", kPasswd);
    bundle.set_args({"env"});
  }

  static void set_user(Bundle& bundle, int uid) {
    bundle.config["process"]["user"] = {{"uid", uid}, {"gid", uid}};
  }

  // The bundle's container running `sleep`, deleted when the test ends.
  void start_sleeper(Bundle& bundle) {
    write_file(bundle.rootfs() / "etc/passwd", kPasswd);
    bundle.set_args({"sleep", "1000"});
    delete_at_end(bundle.id);
    RunResult r = run_detached(bundle);
    ASSERT_EQ(r.exit_code, 0) << r;
    ASSERT_TRUE(wait_for_status(bundle.id, "running"));
  }
};

TEST_F(CompatHome, RootGetsItsHomeFromTheContainersPasswd) {
  Bundle bundle;
  prepare(bundle);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/container-root"}) << r;
}

TEST_F(CompatHome, AUidInPasswdGetsItsHome) {
  Bundle bundle;
  prepare(bundle);
  set_user(bundle, 1000);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/home/alice"}) << r;
}

TEST_F(CompatHome, AUidNotInPasswdGetsTheRoot) {
  Bundle bundle;
  prepare(bundle);
  set_user(bundle, 1234);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/"}) << r;
}

TEST_F(CompatHome, AnEmptyHomeIsFilledAndAGivenOneKept) {
  Bundle bundle;
  prepare(bundle);
  bundle.add_env("HOME=");
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/container-root"}) << r;

  bundle.config["process"]["env"].back() = "HOME=/given";
  r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/given"}) << r;
}

// runc's init sets each entry with os.Setenv: a key given twice appears once, at its first
// place, with the last value.
TEST_F(CompatHome, ARepeatedKeyGetsItsLastValueOnce) {
  Bundle bundle;
  prepare(bundle);
  for (const char* entry : {"A=1", "HOME=/first", "B=2", "A=3", "HOME=/second"})
    bundle.add_env(entry);
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "A"), Values{"3"}) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/second"}) << r;
  const auto lines = split_lines(r.out);
  const auto place = [&](const char* entry) {
    return std::distance(lines.begin(), std::find(lines.begin(), lines.end(), entry));
  };
  EXPECT_LT(place("A=3"), place("B=2")) << r;
}

TEST_F(CompatHome, CreateAndStartSetItToo) {
  Bundle bundle;
  prepare(bundle);
  set_user(bundle, 1000);
  bundle.config["root"]["readonly"] = false;
  std::filesystem::permissions(bundle.rootfs() / "tmp",
                               std::filesystem::perms::all | std::filesystem::perms::sticky_bit);
  bundle.set_shell("env > /tmp/env.out");
  bundle.write();
  delete_at_end(bundle.id);
  RunOptions opts;
  opts.output_file = (test_dir() / "create.out").string();
  RunResult created = run_runtime({"create", "--bundle", bundle.dir().string(), bundle.id}, opts);
  ASSERT_EQ(created.exit_code, 0) << created;
  RunResult started = run_runtime({"start", bundle.id});
  ASSERT_EQ(started.exit_code, 0) << started;
  ASSERT_TRUE(wait_for_status(bundle.id, "stopped"));
  const auto written = bundle.rootfs() / "tmp/env.out";
  ASSERT_TRUE(std::filesystem::exists(written)) << read_file(opts.output_file);
  EXPECT_EQ(values_of(read_file(written), "HOME"), Values{"/home/alice"});
}

TEST_F(CompatHome, ExecSetsItForTheUserItRunsAs) {
  Bundle bundle;
  start_sleeper(bundle);
  RunResult r = run_runtime({"exec", bundle.id, "env"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/container-root"}) << r;
  r = run_runtime({"exec", "--user", "1000", bundle.id, "env"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/home/alice"}) << r;
  r = run_runtime({"exec", "--user", "1234:5", bundle.id, "env"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/"}) << r;
  r = run_runtime({"exec", "--user", "1000", "--env", "HOME=", bundle.id, "env"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/home/alice"}) << r;
}

// --env replaces a key the container's env has (it used to add a second entry, which getenv
// never reached), and a process.json's own HOME is kept.
TEST_F(CompatHome, ExecEnvAndProcessFileAsRuncHasThem) {
  Bundle bundle;
  bundle.add_env("A=1");
  start_sleeper(bundle);
  RunResult r =
      run_runtime({"exec", "--env", "HOME=/x", "--env", "A=2", "--env", "A=3", bundle.id, "env"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/x"}) << r;
  EXPECT_EQ(values_of(r.out, "A"), Values{"3"}) << r;

  const auto with_home = test_dir() / "with-home.json";
  write_file(with_home, json{{"args", {"env"}},
                             {"cwd", "/"},
                             {"env", {"PATH=/bin", "HOME=/fromfile"}},
                             {"user", {{"uid", 1000}, {"gid", 1000}}}}
                            .dump());
  r = run_runtime({"exec", "--process", with_home.string(), bundle.id});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/fromfile"}) << r;

  const auto without_home = test_dir() / "without-home.json";
  write_file(without_home, json{{"args", {"env"}},
                                {"cwd", "/"},
                                {"env", {"PATH=/bin"}},
                                {"user", {{"uid", 1000}, {"gid", 1000}}}}
                               .dump());
  r = run_runtime({"exec", "--process", without_home.string(), bundle.id});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/home/alice"}) << r;
}

// The passwd read happens before the filter in both orders (noNewPrivileges true loads it
// last, false before the capability drop): a profile denying openat2 cannot change HOME.
TEST_F(CompatHome, PasswdIsReadBeforeTheSeccompFilter) {
  Bundle bundle;
  prepare(bundle);
  bundle.config["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", {"openat2"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 1}}}}};
  for (bool nnp : {true, false}) {
    bundle.config["process"]["noNewPrivileges"] = nnp;
    RunResult r = run_container(bundle);
    ASSERT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(values_of(r.out, "HOME"), Values{"/container-root"}) << "nnp " << nnp << r;
  }
}

// The container writes its /etc/passwd: a link through /proc/PID/root (here the host's
// init's, as the container shares the host's pid namespace) is not followed, though the
// runtime reads it as root with every capability. runc 1.1.5 gives / here too.
TEST_F(CompatHome, APasswdMagicLinkIsNotFollowed) {
  Bundle bundle;
  prepare(bundle);
  bundle.remove_namespace("pid");
  std::filesystem::remove(bundle.rootfs() / "etc/passwd");
  std::filesystem::create_symlink("/proc/1/root/etc/passwd", bundle.rootfs() / "etc/passwd");
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/"}) << r;
}

// A FIFO as /etc/passwd would block runc's init for good; minirun reads only regular files.
TEST_F(CompatHome, APasswdFifoDoesNotBlock) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  Bundle bundle;
  prepare(bundle);
  std::filesystem::remove(bundle.rootfs() / "etc/passwd");
  ASSERT_EQ(mkfifo((bundle.rootfs() / "etc/passwd").c_str(), 0644), 0);
  RunOptions opts;
  opts.timeout = std::chrono::seconds(10);
  RunResult r = run_container(bundle, opts);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(values_of(r.out, "HOME"), Values{"/"}) << r;
}

class CompatFlags : public LeakCheck {
 protected:
  // A directory named `name` anywhere in the cgroup hierarchies (a few levels deep).
  static bool cgroup_named(const std::string& name) {
    RunResult r = shell("find /sys/fs/cgroup -maxdepth 5 -type d -name " + shell_quote(name));
    return !trim(r.out).empty();
  }
};

// runc 1.1.5 without systemd: the flag is refused by create and run, before anything is made;
// a slice:prefix:name path without the flag is a cgroupfs directory of that name (runc's too).
TEST_F(CompatFlags, SystemdCgroupIsRefusedWhereSystemdIsNotRunning) {
  if (std::filesystem::is_directory("/run/systemd/system")) GTEST_SKIP() << "systemd is running";
  Bundle bundle({"sh", "-c", "cat /proc/self/cgroup"});
  const std::string slice_path = "system.slice:compat:" + bundle.id;
  bundle.config["linux"]["cgroupsPath"] = slice_path;
  RunResult plain = run_container(bundle);
  ASSERT_EQ(plain.exit_code, 0) << plain;
  EXPECT_TRUE(contains(plain.out, "/" + slice_path + "\n")) << plain;

  const char* kRunc = "systemd not running on this host, cannot use systemd cgroups manager";
  for (const char* verb : {"run", "create"}) {
    bundle.write();
    RunResult r =
        run_runtime({"--systemd-cgroup", verb, "--bundle", bundle.dir().string(), bundle.id});
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_TRUE(contains(r.err, kRunc)) << r;
    EXPECT_TRUE(container_state(bundle.id).is_null()) << verb << " left a container";
    EXPECT_FALSE(cgroup_named(slice_path)) << verb << " left the cgroup " << slice_path;
  }
  // Other verbs take the manager from create, so the flag is ignored, as containerd's shim
  // passes it on every call: its cleanup must still work.
  RunResult del = run_runtime({"--systemd-cgroup", "delete", "--force", bundle.id});
  EXPECT_EQ(del.exit_code, 0) << del;
  RunResult list = run_runtime({"--systemd-cgroup", "list"});
  EXPECT_EQ(list.exit_code, 0) << list;
}

TEST_F(CompatFlags, RootlessTakesOnlyTrueFalseOrAuto) {
  Bundle bundle({"true"});
  bundle.write();
  const std::vector<std::string> run = {"run", "--bundle", bundle.dir().string(), bundle.id};
  auto with = [&](const std::string& flag) {
    std::vector<std::string> args{flag};
    args.insert(args.end(), run.begin(), run.end());
    return run_runtime(args);
  };
  RunResult banana = with("--rootless=banana");
  EXPECT_EQ(banana.exit_code, 1) << banana;
  EXPECT_TRUE(container_state(bundle.id).is_null());
  for (const char* ok : {"--rootless=false", "--rootless=auto"}) {
    RunResult r = with(ok);
    EXPECT_EQ(r.exit_code, 0) << r;
  }
  // runc as root: its rootless manager ignores cgroup permission errors, and there are none.
  // minirun's rootless handling finds root may write cgroup2 anywhere: one delegated cgroup.
  RunResult yes = with("--rootless=true");
  EXPECT_EQ(yes.exit_code, 0) << yes;
}

// No SELinux or AppArmor on this host: runc refuses a label or profile it cannot apply;
// minirun, which supports neither, refuses them everywhere.
TEST_F(CompatFlags, SecurityLabelsAreRefusedAsRuncRefusesThem) {
  Bundle bundle({"true"});
  const std::vector<std::pair<std::string, json>> fields = {
      {"/process/apparmorProfile", "minirun-test"},
      {"/process/selinuxLabel", "system_u:system_r:container_t:s0"},
      {"/linux/mountLabel", "system_u:object_r:container_file_t:s0"}};
  for (const auto& [pointer, value] : fields) {
    bundle.config = default_spec({"true"});
    bundle.config[json::json_pointer(pointer)] = value;
    RunResult r = run_container(bundle);
    EXPECT_EQ(r.exit_code, 1) << pointer << r;
    if (is_minirun()) {
      EXPECT_TRUE(contains(r.err, "config.json: " + pointer + ": ")) << r;
    }
  }
}

TEST_F(CompatFlags, ExecRefusesLabelsItCannotApply) {
  Bundle bundle({"sleep", "1000"});
  delete_at_end(bundle.id);
  RunResult started = run_detached(bundle);
  ASSERT_EQ(started.exit_code, 0) << started;
  ASSERT_TRUE(wait_for_status(bundle.id, "running"));
  RunResult label = run_runtime({"exec", "--process-label", "x", bundle.id, "true"});
  EXPECT_EQ(label.exit_code, 255) << label;
  EXPECT_TRUE(contains(label.err,
                       "selinux label is specified in config, but selinux is disabled "
                       "or not supported"))
      << label;
  RunResult profile = run_runtime({"exec", "--apparmor", "x", bundle.id, "true"});
  EXPECT_EQ(profile.exit_code, 255) << profile;
  for (const char* field : {"selinuxLabel", "apparmorProfile"}) {
    const auto file = test_dir() / (std::string(field) + ".json");
    write_file(file, json{{"args", {"true"}}, {"cwd", "/"}, {field, "x"}}.dump());
    RunResult r = run_runtime({"exec", "--process", file.string(), bundle.id});
    EXPECT_EQ(r.exit_code, 255) << r;
    if (is_minirun()) {
      EXPECT_TRUE(contains(r.err, std::string("/") + field + ": ")) << r;
    }
  }
}

// exec --cap as runc 1.1.5 has it since CVE-2022-29162: bounding, effective and permitted,
// not inheritable, so not ambient either (it used to be all five).
TEST_F(CompatFlags, ExecCapIsNotInheritable) {
  Bundle bundle({"sleep", "1000"});
  delete_at_end(bundle.id);
  RunResult started = run_detached(bundle);
  ASSERT_EQ(started.exit_code, 0) << started;
  ASSERT_TRUE(wait_for_status(bundle.id, "running"));
  RunResult r = run_runtime(
      {"exec", "--cap", "CAP_SYS_ADMIN", bundle.id, "grep", "^Cap", "/proc/self/status"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "CapInh:\t0000000000000000\n")) << r;
  EXPECT_TRUE(contains(r.out, "CapAmb:\t0000000000000000\n")) << r;
  for (const char* set : {"CapPrm", "CapEff", "CapBnd"}) {
    const auto at = r.out.find(std::string(set) + ":\t");
    ASSERT_NE(at, std::string::npos) << r;
    const uint64_t mask = std::stoull(r.out.substr(at + 8, 16), nullptr, 16);
    EXPECT_NE(mask & (uint64_t{1} << 21), 0u) << set << r;  // CAP_SYS_ADMIN
  }
}

// Fields runc 1.1.5 does not know (or ignores) and engines do not send: minirun used to parse
// and then ignore them, and now refuses each with the field's pointer. runc runs them.
TEST_F(CompatFlags, FieldsMinirunDoesNotImplementAreRefused) {
  Bundle bundle({"true"});
  const std::vector<std::pair<std::string, json>> fields = {
      {"/process/commandLine", "sh -c true"},
      {"/process/user/username", "alice"},
      {"/process/execCPUAffinity", {{"initial", "0"}}},
      {"/linux/intelRdt", {{"closID", "compat"}}},
      {"/linux/memoryPolicy", {{"mode", "MPOL_DEFAULT"}}},
      {"/linux/resources/memory/useHierarchy", false}};
  for (const auto& [pointer, value] : fields) {
    bundle.config = default_spec({"true"});
    bundle.config[json::json_pointer(pointer)] = value;
    RunResult r = run_container(bundle);
    if (is_minirun()) {
      EXPECT_EQ(r.exit_code, 1) << pointer << r;
      EXPECT_TRUE(contains(r.err, "config.json: " + pointer + ": ")) << r;
      EXPECT_EQ(r.err_lines().size(), 1u) << r;
    } else {
      EXPECT_EQ(r.exit_code, 0) << pointer << r;
    }
  }
}

TEST_F(CompatFlags, SpecRootlessWritesARootlessConfig) {
  const auto dir = test_dir() / "rootless-spec";
  std::filesystem::create_directories(dir);
  RunResult r = run_runtime({"spec", "--rootless", "--bundle", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  const json config = json::parse(read_file(dir / "config.json"));
  bool user = false, network = false;
  for (const auto& ns : config["linux"]["namespaces"]) {
    user = user || ns["type"] == "user";
    network = network || ns["type"] == "network";
  }
  EXPECT_TRUE(user) << config.dump(2);
  // runc drops the network namespace; minirun keeps it (docs/runc-differences.md).
  EXPECT_EQ(network, is_minirun()) << config.dump(2);
  EXPECT_EQ(config["linux"]["uidMappings"][0]["hostID"], getuid());
  EXPECT_EQ(config["linux"]["gidMappings"][0]["hostID"], getgid());
}

// memory.checkBeforeUpdate: `update` refuses a limit at or below the current usage (runc 1.2's
// rule) instead of writing it. runc 1.1.5 does not know the field and writes the limit, which
// the kernel refuses (EBUSY) when it cannot reclaim that much.
TEST_F(CompatFlags, UpdateChecksMemoryUsageWhenAsked) {
  Bundle bundle({"sleep", "1000"});
  delete_at_end(bundle.id);
  RunResult started = run_detached(bundle);
  ASSERT_EQ(started.exit_code, 0) << started;
  ASSERT_TRUE(wait_for_status(bundle.id, "running"));
  const json resources = {{"memory", {{"limit", 4096}, {"checkBeforeUpdate", true}}}};
  RunOptions opts;
  opts.stdin_data = resources.dump();
  RunResult r = run_runtime({"update", "--resources", "-", bundle.id}, opts);
  EXPECT_EQ(r.exit_code, 1) << r;
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.err, "rejecting memory limit 4096 <= usage ")) << r;
  }
  EXPECT_EQ(container_status(bundle.id), "running");

  opts.stdin_data = json{{"memory", {{"useHierarchy", false}}}}.dump();
  r = run_runtime({"update", "--resources", "-", bundle.id}, opts);
  if (is_minirun()) {
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_TRUE(contains(r.err, "/memory/useHierarchy: ")) << r;
  } else {
    EXPECT_EQ(r.exit_code, 0) << r;
  }
}

}  // namespace
}  // namespace minirun::itest
