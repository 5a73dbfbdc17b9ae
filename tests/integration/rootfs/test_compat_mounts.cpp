// Configs runc accepts that minirun refused or broke (issue 12, item 6): a container without a
// mount namespace of its own, every linux.rootfsPropagation value, and the resources `update`
// puts in force, kept for the verbs after it. Every test runs under runc as well:
//   MINIRUN_TEST_BINARY=/usr/sbin/runc build/tests/integration_tests --gtest_filter='Compat*'
// Where runc 1.1.5 does something else and minirun does not follow on purpose
// (docs/runc-differences.md), the expectation says which runtime does what.
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The lines of `out` that start with `prefix`, without it.
std::vector<std::string> tagged(const std::string& out, const std::string& prefix) {
  std::vector<std::string> found;
  for (const auto& line : split_lines(out))
    if (line.rfind(prefix, 0) == 0) found.push_back(line.substr(prefix.size()));
  return found;
}

// Shell words printing "<label> <mount point>" for each mount at or below `path` in the shell's
// mount table.
std::string print_mounts_under(const fs::path& path, const std::string& label = "left") {
  return "awk -v r=" + shell_quote(path.string()) + " -v l=" + shell_quote(label) +
         " '$5 == r || index($5, r \"/\") == 1 { print l \" \" $5 }' /proc/self/mountinfo";
}

// Shell words printing "<label> <first optional field>" of the mount at `path` ("-": private).
std::string print_propagation_of(const fs::path& path, const std::string& label) {
  return "awk -v p=" + shell_quote(path.string()) + " -v l=" + shell_quote(label) +
         " '$5 == p { print l \" \" $7 }' /proc/self/mountinfo";
}

// "shared:3" -> "shared", "master:2" -> "master", "unbindable", "-".
std::string propagation_kind(const std::string& field) {
  return field.substr(0, field.find(':'));
}

// --- no mount namespace ---------------------------------------------------------------------

// `sh -c SCRIPT` in the test's own mount namespace, where a container without a mount namespace
// puts its mounts. Under runc in a copy of it (unshare -m): runc 1.1.5 makes the caller's "/"
// rslave and the rootfs's parent mount private, recursively changing the caller's mounts, and
// leaves every mount it made. The copy takes all of that with it when the script ends.
RunResult in_caller_mount_ns(const std::string& script) {
  if (is_minirun()) return shell(script);
  return run_process({"unshare", "-m", "--propagation", "unchanged", "sh", "-c", script});
}

class CompatNoMountNs : public LeakCheck {
 protected:
  // What runc runs without a mount namespace: no maskedPaths or readonlyPaths (runc, and minirun
  // with it, refuses them: "unable to restrict sys entries without a private MNT namespace"), and
  // a writable root (runc leaves root.readonly undone there, see ReadonlyRoot below).
  static void share_the_callers_mount_ns(Bundle& bundle) {
    bundle.remove_namespace("mount");
    bundle.config["linux"].erase("maskedPaths");
    bundle.config["linux"].erase("readonlyPaths");
    bundle.config["root"]["readonly"] = false;
  }

  static std::string marked(Bundle& bundle) {
    write_file(bundle.rootfs() / "marker", "the container's rootfs\n");
    bundle.write();
    return shell_quote(bundle.dir().string());
  }

  static std::string run_line(Bundle& bundle, const std::string& flags = "") {
    return runtime_command_line() + " run " + flags + " --bundle " +
           shell_quote(bundle.dir().string()) + " " + bundle.id;
  }

  // Nothing of the container's may stay mounted in the caller's namespace. runc 1.1.5 leaves
  // all it mounted (the rootfs bound onto itself, /proc, /dev, /sys...) until reboot.
  static void expect_nothing_left_by_minirun(const RunResult& r) {
    auto left = tagged(r.out, "left ");
    if (is_minirun()) {
      EXPECT_TRUE(left.empty()) << r;
    } else {
      EXPECT_FALSE(left.empty()) << "runc 1.1.5 was seen to leave its mounts" << r;
    }
  }
};

TEST_F(CompatNoMountNs, RunIsChrootedIntoTheRootfsAndLeavesNothingMounted) {
  Bundle bundle({"sh", "-c",
                 "cat /marker; test -e /proc/1/exe && echo proc; "
                 "awk '$5 == \"/\" { print \"root is a mount, \" $7 }' /proc/self/mountinfo; "
                 "test -d /sys/fs/cgroup/pids && echo cgroup"});
  share_the_callers_mount_ns(bundle);
  marked(bundle);
  RunResult r = in_caller_mount_ns(run_line(bundle) + "; echo \"exit $?\"; " +
                                   print_mounts_under(bundle.rootfs()));
  EXPECT_TRUE(contains(r.out, "the container's rootfs\nproc\nroot is a mount, -\ncgroup\nexit 0\n"))
      << r;
  expect_nothing_left_by_minirun(r);
}

TEST_F(CompatNoMountNs, CreateExecDeleteLeaveNothingMounted) {
  Bundle bundle({"sleep", "1000"});
  share_the_callers_mount_ns(bundle);
  marked(bundle);
  delete_at_end(bundle.id);
  const std::string out = shell_quote((test_dir() / "container.out").string());
  const std::string r_line = runtime_command_line();
  RunResult r = in_caller_mount_ns(
      run_line(bundle, "--detach") + " < /dev/null > " + out + " 2>&1; echo \"run $?\"; " +
      print_mounts_under(bundle.rootfs(), "during") + "; " + r_line + " exec " + bundle.id +
      " cat /marker; echo \"exec $?\"; " + r_line + " delete --force " + bundle.id +
      "; echo \"delete $?\"; " + print_mounts_under(bundle.rootfs()));
  EXPECT_TRUE(contains(r.out, "run 0\n")) << r;
  // The rootfs bound onto itself, /proc, /dev...: in the caller's mount table while it runs.
  EXPECT_GE(tagged(r.out, "during ").size(), 3u) << r;
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.out, "the container's rootfs\nexec 0\n")) << r;
  } else {
    // runc 1.1.5's exec has no mount namespace to join and stays in the caller's root.
    EXPECT_TRUE(contains(r.out, "exec 1\n")) << r;
  }
  EXPECT_TRUE(contains(r.out, "delete 0\n")) << r;
  expect_nothing_left_by_minirun(r);
}

TEST_F(CompatNoMountNs, AFailureHalfWayLeavesNothingMounted) {
  {
    SCOPED_TRACE("a mount fails after others were made");
    Bundle bundle({"true"});
    share_the_callers_mount_ns(bundle);
    bundle.config["mounts"].push_back({{"destination", "/data"},
                                       {"type", "bind"},
                                       {"source", (test_dir() / "no-such-dir").string()},
                                       {"options", {"rbind"}}});
    marked(bundle);
    RunResult r = in_caller_mount_ns(run_line(bundle) + "; echo \"exit $?\"; " +
                                     print_mounts_under(bundle.rootfs()));
    EXPECT_TRUE(contains(r.out, "exit 1\n")) << r;
    expect_nothing_left_by_minirun(r);
  }
  {
    SCOPED_TRACE("the process cannot be executed");
    Bundle bundle({"/no/such/program"});
    share_the_callers_mount_ns(bundle);
    marked(bundle);
    RunResult r = in_caller_mount_ns(run_line(bundle) + "; echo \"exit $?\"; " +
                                     print_mounts_under(bundle.rootfs()));
    EXPECT_FALSE(contains(r.out, "exit 0\n")) << r;
    expect_nothing_left_by_minirun(r);
  }
}

// minirun changes no mount of the caller's but its own: the rootfs's bind onto itself, made
// private at once. runc 1.1.5 makes the caller's "/" rslave, recursively, which on a host
// turns a shared mount with no peer private and cuts it off from its slaves.
TEST_F(CompatNoMountNs, TheCallersMountsKeepTheirPropagation) {
  SharedTmpfs shared(test_dir() / "shared");
  ASSERT_TRUE(shared.mounted());
  Bundle bundle({"awk", "$5 == \"/\" { print \"inside \" $7 }", "/proc/self/mountinfo"});
  share_the_callers_mount_ns(bundle);
  ASSERT_EQ(run_process({"cp", "-a", bundle.rootfs().string(), shared.dir().string()}).exit_code,
            0);
  const fs::path rootfs = shared.dir() / "rootfs";
  bundle.config["root"]["path"] = rootfs.string();
  bundle.write();
  RunResult r =
      in_caller_mount_ns(print_propagation_of(shared.dir(), "before") + "; " + run_line(bundle) +
                         "; echo \"exit $?\"; " + print_propagation_of(shared.dir(), "after") +
                         "; " + print_mounts_under(rootfs));
  EXPECT_TRUE(contains(r.out, "exit 0\n")) << r;
  auto before = tagged(r.out, "before ");
  auto after = tagged(r.out, "after ");
  ASSERT_EQ(before.size(), 1u) << r;
  ASSERT_EQ(after.size(), 1u) << r;
  EXPECT_EQ(propagation_kind(before[0]), "shared") << r;
  if (is_minirun()) {
    EXPECT_EQ(after, before) << r;
    EXPECT_EQ(tagged(r.out, "inside "), std::vector<std::string>{"-"}) << r;
  } else {
    // rslave on the caller's "/": in the test's copy of the mount namespace the tmpfs has a
    // peer (the original), so it became a slave of it, and so did the container's "/".
    EXPECT_NE(propagation_kind(after[0]), "shared") << "runc 1.1.5 was seen to keep it" << r;
  }
  expect_nothing_left_by_minirun(r);
}

// rootfsPropagation applies to the container's "/", which here is minirun's own bind of the
// rootfs: the caller's mounts keep theirs. runc applies it to the caller's "/" first, where
// "runbindable" then refuses the rootfs's bind.
TEST_F(CompatNoMountNs, RootfsPropagationReachesOnlyTheContainersMounts) {
  SharedTmpfs shared(test_dir() / "shared");
  ASSERT_TRUE(shared.mounted());
  Bundle bundle({"awk", "$5 == \"/\" || $5 == \"/proc\" { print \"inside \" $5 \" \" $7 }",
                 "/proc/self/mountinfo"});
  share_the_callers_mount_ns(bundle);
  bundle.config["linux"]["rootfsPropagation"] = "runbindable";
  ASSERT_EQ(run_process({"cp", "-a", bundle.rootfs().string(), shared.dir().string()}).exit_code,
            0);
  const fs::path rootfs = shared.dir() / "rootfs";
  bundle.config["root"]["path"] = rootfs.string();
  bundle.write();
  RunResult r = in_caller_mount_ns(run_line(bundle) + "; echo \"exit $?\"; " +
                                   print_propagation_of(shared.dir(), "after") + "; " +
                                   print_mounts_under(rootfs));
  if (!is_minirun()) {
    EXPECT_TRUE(contains(r.out, "exit 1\n")) << "runc 1.1.5 was seen to fail" << r;
    return;
  }
  EXPECT_TRUE(contains(r.out, "exit 0\n")) << r;
  EXPECT_EQ(tagged(r.out, "inside "),
            (std::vector<std::string>{"/ unbindable", "/proc unbindable"}))
      << r;
  auto after = tagged(r.out, "after ");
  ASSERT_EQ(after.size(), 1u) << r;
  EXPECT_EQ(propagation_kind(after[0]), "shared") << r;
  expect_nothing_left_by_minirun(r);
}

// root.readonly is done: runc 1.1.5 skips its whole finalize step without a mount namespace
// and leaves the root writable.
TEST_F(CompatNoMountNs, ReadonlyRoot) {
  Bundle bundle({"sh", "-c", "touch /written && echo written"});
  share_the_callers_mount_ns(bundle);
  bundle.config["root"]["readonly"] = true;
  bundle.write();
  RunResult r = in_caller_mount_ns(run_line(bundle) + "; echo \"exit $?\"; " +
                                   print_mounts_under(bundle.rootfs()));
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.out, "exit 1\n")) << r;
    EXPECT_TRUE(contains(r.err, "Read-only file system")) << r;
    EXPECT_FALSE(fs::exists(bundle.rootfs() / "written"));
  } else {
    EXPECT_TRUE(contains(r.out, "written\nexit 0\n")) << "runc 1.1.5 left / writable" << r;
  }
  expect_nothing_left_by_minirun(r);
}

TEST_F(CompatNoMountNs, MaskedAndReadonlyPathsAreRefusedAsRuncDoes) {
  Bundle bundle({"true"});
  bundle.remove_namespace("mount");
  bundle.write();
  RunResult r = in_caller_mount_ns(run_line(bundle));
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_TRUE(contains(r.err, "unable to restrict sys entries without a private MNT namespace"))
      << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
}

// With --no-pivot there is still nothing to move: the caller's "/" stays. runc 1.1.5 moves the
// rootfs onto the caller's "/" and detaches the caller's /proc and /sys mounts first; not run.
TEST_F(CompatNoMountNs, NoPivotStillOnlyChroots) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  Bundle bundle({"cat", "/marker"});
  share_the_callers_mount_ns(bundle);
  marked(bundle);
  auto root_mount = [] {
    for (const auto& m : host_mounts())
      if (m.mount_point == "/") return m.source + " " + m.fs_type;
    return std::string("no / in the mount table");
  };
  const std::string root_before = root_mount();
  RunResult r = run_container(bundle, {}, {"--no-pivot"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "the container's rootfs\n") << r;
  EXPECT_EQ(root_mount(), root_before);
  EXPECT_TRUE(fs::exists("/proc/self/mountinfo"));
}

// --- rootfsPropagation -------------------------------------------------------------------------

struct PropagationCase {
  const char* value;  // linux.rootfsPropagation; "" leaves it out (rslave)
  // What the container's mountinfo shows for "/": "master" (a slave of the caller's mount),
  // "shared", "unbindable", "-" (private); "fail": the runtime refuses the config.
  const char* ours_on_root_mount;
  const char* runc_on_root_mount;
  const char* ours_below_shared;
  const char* runc_below_shared;
};

void PrintTo(const PropagationCase& c, std::ostream* os) {
  *os << "rootfsPropagation \"" << c.value << "\"";
}

// A rootfs directory on the mount of "/" itself, as a bundle under /var/lib or a home directory
// is: an unbindable "/" then holds the rootfs too. Removed when done.
class DirOnTheRootMount {
 public:
  // /var/tmp/minirun-it.<pid>.<test name, "/" as "_">
  DirOnTheRootMount() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::path("/var/tmp") / ("minirun-it." + std::to_string(getpid()) + "." + name);
    fs::create_directories(dir_);
  }
  ~DirOnTheRootMount() { remove_tree(dir_); }
  const fs::path& dir() const { return dir_; }
  bool on_root_mount() const {
    std::string best;
    for (const auto& m : host_mounts()) {
      const std::string& p = m.mount_point;
      bool holds = p == "/" || dir_.string() == p || dir_.string().rfind(p + "/", 0) == 0;
      if (holds && p.size() >= best.size()) best = p;
    }
    return best == "/";
  }

 private:
  fs::path dir_;
};

class CompatPropagation : public LeakCheck, public ::testing::WithParamInterface<PropagationCase> {
 protected:
  // Prints "inside <mount point> <options> <first optional field>" for /, /proc and /proc/sys
  // (made read-only by a bind onto itself, after the masked paths' binds).
  static Bundle& configured(Bundle& bundle, const PropagationCase& c) {
    if (*c.value) bundle.config["linux"]["rootfsPropagation"] = c.value;
    return bundle;
  }
  static std::vector<std::string> args() {
    return {"awk",
            "$5 == \"/\" || $5 == \"/proc\" || $5 == \"/proc/sys\" "
            "{ print \"inside \" $5 \" \" $6 \" \" $7 }",
            "/proc/self/mountinfo"};
  }

  static void check(const RunResult& r, const std::string& expected) {
    SCOPED_TRACE(is_minirun() ? "minirun" : "runc");
    if (expected == "fail") {
      EXPECT_NE(r.exit_code, 0) << r;
      return;
    }
    ASSERT_EQ(r.exit_code, 0) << r;
    auto inside = tagged(r.out, "inside ");
    ASSERT_EQ(inside.size(), 3u) << r;
    auto fields = [](const std::string& line) {
      std::vector<std::string> out;
      std::istringstream in(line);
      for (std::string w; in >> w;) out.push_back(w);
      return out;
    };
    auto root = fields(inside[0]), proc = fields(inside[1]), sys = fields(inside[2]);
    ASSERT_EQ(root.size(), 3u) << r;
    EXPECT_EQ(root[0], "/") << r;
    EXPECT_EQ(propagation_kind(root[2]), expected) << r;
    // r-forms reach every mount.
    if (std::string(GetParam().value) == "runbindable") {
      EXPECT_EQ(proc[2], "unbindable") << r;
    }
    ASSERT_EQ(sys.size(), 3u) << r;
    EXPECT_TRUE(contains("," + sys[1] + ",", ",ro,")) << r;
  }
};

// The container gets its own mount namespace; the runtime runs in a private copy of the test's
// (unshare -m --propagation private), so "/" is private whatever the host's is.
TEST_P(CompatPropagation, RootfsOnTheMountOfSlash) {
  const PropagationCase& c = GetParam();
  DirOnTheRootMount place;
  if (!place.on_root_mount()) GTEST_SKIP() << place.dir() << " is not on the mount of /";
  Bundle bundle(args());
  configured(bundle, c);
  ASSERT_EQ(run_process({"cp", "-a", bundle.rootfs().string(), place.dir().string()}).exit_code, 0);
  bundle.config["root"]["path"] = (place.dir() / "rootfs").string();
  bundle.write();
  RunResult r = run_process({"unshare", "-m", "--propagation", "private", "sh", "-c",
                             runtime_command_line() + " run --bundle " +
                                 shell_quote(bundle.dir().string()) + " " + bundle.id});
  check(r, is_minirun() ? c.ours_on_root_mount : c.runc_on_root_mount);
}

TEST_P(CompatPropagation, RootfsBelowASharedMount) {
  const PropagationCase& c = GetParam();
  SharedTmpfs shared(test_dir() / "shared");
  ASSERT_TRUE(shared.mounted());
  Bundle bundle(args());
  configured(bundle, c);
  ASSERT_EQ(run_process({"cp", "-a", bundle.rootfs().string(), shared.dir().string()}).exit_code,
            0);
  bundle.config["root"]["path"] = (shared.dir() / "rootfs").string();
  check(run_container(bundle), is_minirun() ? c.ours_below_shared : c.runc_below_shared);
}

// runc 1.1.5 sets rootfsPropagation on the caller's "/" before it binds the rootfs and never on
// the container's "/": shared ends up private, unbindable refuses the bind of a rootfs on the
// mount of "/", runbindable refuses it always. minirun gives the container's "/" the value
// asked (docs/runc-differences.md).
INSTANTIATE_TEST_SUITE_P(
    Compat, CompatPropagation,
    ::testing::Values(PropagationCase{"", "-", "-", "master", "master"},
                      PropagationCase{"shared", "shared", "-", "shared", "-"},
                      PropagationCase{"rshared", "shared", "-", "shared", "-"},
                      PropagationCase{"slave", "-", "-", "-", "-"},
                      PropagationCase{"rslave", "-", "-", "master", "master"},
                      PropagationCase{"private", "-", "-", "-", "-"},
                      PropagationCase{"rprivate", "-", "-", "-", "-"},
                      PropagationCase{"unbindable", "unbindable", "fail", "unbindable", "-"},
                      PropagationCase{"runbindable", "unbindable", "fail", "unbindable", "fail"}),
    [](const auto& info) { return std::string(*info.param.value ? info.param.value : "default"); });

// --- update ------------------------------------------------------------------------------------

class CompatUpdate : public LeakCheck {
 protected:
  void SetUp() override {
    LeakCheck::SetUp();
    if (!fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes") ||
        !fs::exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
      GTEST_SKIP() << "needs the v1 memory and cpu controllers";
  }

  static std::string cgroup_file(const std::string& id, const std::string& controller,
                                 const std::string& file) {
    return trim(
        read_file("/sys/fs/cgroup/" + controller + test_cgroup_parent() + "/" + id + "/" + file));
  }

  // What the runtime keeps in its state.json of the resources in force: minirun its
  // "resources" (a LinuxResources object), runc its config's "cgroups".
  struct Kept {
    json memory, pids, cpu_quota, cpu_period, cpu_shares;
  };
  static Kept kept(const std::string& id) {
    json state = json::parse(read_file(state_root() / id / "state.json"));
    auto at = [](const json& j, std::initializer_list<const char*> path) {
      const json* v = &j;
      for (const char* key : path) {
        if (!v->is_object() || !v->contains(key)) return json();
        v = &(*v)[key];
      }
      return *v;
    };
    if (is_minirun()) {
      json r = at(state, {"resources"});
      return {at(r, {"memory", "limit"}), at(r, {"pids", "limit"}), at(r, {"cpu", "quota"}),
              at(r, {"cpu", "period"}), at(r, {"cpu", "shares"})};
    }
    json c = at(state, {"config", "cgroups"});
    return {at(c, {"memory"}), at(c, {"pids_limit"}), at(c, {"cpu_quota"}), at(c, {"cpu_period"}),
            at(c, {"cpu_shares"})};
  }

  RunResult start(Bundle& bundle) {
    bundle.config["linux"]["cgroupsPath"] = test_cgroup_parent() + "/" + bundle.id;
    delete_at_end(bundle.id);
    return run_detached(bundle);
  }
};

TEST_F(CompatUpdate, WhatAnUpdatePutsInForceIsKeptForTheVerbsAfterIt) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  bundle.config["linux"]["resources"]["cpu"] = {{"quota", 50000}, {"period", 100000}};
  const std::string& id = bundle.id;
  ASSERT_EQ(start(bundle).exit_code, 0);

  ASSERT_EQ(run_runtime({"update", "--cpu-quota", "30000", id}).exit_code, 0);
  ASSERT_EQ(run_runtime({"update", "--memory", "100m", "--pids-limit", "40", id}).exit_code, 0);
  // The cgroups hold both updates.
  EXPECT_EQ(cgroup_file(id, "memory", "memory.limit_in_bytes"), "104857600");
  EXPECT_EQ(cgroup_file(id, "pids", "pids.max"), "40");
  EXPECT_EQ(cgroup_file(id, "cpu", "cpu.cfs_quota_us"), "30000");
  EXPECT_EQ(cgroup_file(id, "cpu", "cpu.cfs_period_us"), "100000");

  RunResult stats = run_runtime({"events", "--stats", id});
  ASSERT_EQ(stats.exit_code, 0) << stats;
  json data = json::parse(stats.out)["data"];
  EXPECT_EQ(data["memory"]["usage"]["limit"], 104857600) << stats;
  EXPECT_EQ(data["pids"]["limit"], 40) << stats;

  // `state` prints runc's fields and nothing of the resources.
  json state = container_state(id);
  ASSERT_TRUE(state.is_object());
  std::vector<std::string> keys;
  for (const auto& [key, value] : state.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"bundle", "created", "id", "ociVersion", "owner", "pid",
                                            "rootfs", "status"}));
  EXPECT_EQ(state["status"], "running");

  Kept k = kept(id);
  EXPECT_EQ(k.memory, 104857600);
  EXPECT_EQ(k.pids, 40);
  if (is_minirun()) {
    // The first update's quota, and the config's period, are still in force.
    EXPECT_EQ(k.cpu_quota, 30000);
    EXPECT_EQ(k.cpu_period, 100000);
  } else {
    // runc 1.1.5 keeps what the last update named and 0 for the rest, files notwithstanding.
    EXPECT_EQ(k.cpu_quota, 0);
  }

  // A period alone goes with the quota in force (runc's rule; cgroup v2's cpu.max needs both).
  ASSERT_EQ(run_runtime({"update", "--cpu-period", "200000", id}).exit_code, 0);
  EXPECT_EQ(cgroup_file(id, "cpu", "cpu.cfs_period_us"), "200000");
  EXPECT_EQ(cgroup_file(id, "cpu", "cpu.cfs_quota_us"), "30000");
  k = kept(id);
  EXPECT_EQ(k.cpu_period, 200000);
  if (is_minirun()) {
    EXPECT_EQ(k.cpu_quota, 30000);
    EXPECT_EQ(k.memory, 104857600);
    EXPECT_EQ(k.pids, 40);
  }

  RunOptions piped;
  piped.stdin_data = R"({"cpu":{"shares":512}})";
  RunResult from_stdin = run_runtime({"update", "-r", "-", id}, piped);
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin;
  EXPECT_EQ(cgroup_file(id, "cpu", "cpu.shares"), "512");
  k = kept(id);
  EXPECT_EQ(k.cpu_shares, 512);
  if (is_minirun()) {
    EXPECT_EQ(k.memory, 104857600);
    EXPECT_EQ(k.cpu_quota, 30000);
    EXPECT_EQ(k.cpu_period, 200000);
  }
}

TEST_F(CompatUpdate, AFailedUpdateKeepsWhatIsInForce) {
  Bundle bundle({"sleep", "1000"});
  bundle.config["linux"]["resources"]["memory"]["limit"] = 64 << 20;
  const std::string& id = bundle.id;
  ASSERT_EQ(start(bundle).exit_code, 0);
  ASSERT_EQ(run_runtime({"update", "--memory", "96m", id}).exit_code, 0);
  RunResult refused = run_runtime({"update", "--memory", "48m", "--cpuset-cpus", "4095", id});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  if (is_minirun()) {
    EXPECT_EQ(refused.err_lines().size(), 1u) << refused;
  }
  EXPECT_EQ(kept(id).memory, 96 << 20);
}

}  // namespace
}  // namespace minirun::itest
