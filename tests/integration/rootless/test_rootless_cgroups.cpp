// Rootless containers and cgroups, through the binary as a real unprivileged user: inside a
// delegated cgroup2 subtree (a directory of the test's, chowned to the user as systemd's
// Delegate= or an administrator would, with the user's "shell" in a leaf below it) the
// container gets its cgroup, its limits, and ps, pause/resume, update, events --stats, exec
// and kill --all; without delegation a cgroupsPath is refused, as runc refuses it.
//
// Each case runs twice: on the host as it is (here hybrid: cgroup2 at /sys/fs/cgroup/unified)
// and on a pure cgroup2 host (the runtime runs in a private mount namespace with cgroup2 on
// /sys/fs/cgroup; the hierarchy is the same one). runc 1.1.5 drives v1 on a hybrid host, where
// nothing is delegated to a user, so under runc only the pure cgroup2 runs apply; they pass
// (MINIRUN_TEST_BINARY=/usr/sbin/runc), save that runc's update leaves hugepageLimits out.
//
// This host's cgroup2 offers hugetlb alone (the other controllers are bound to v1), so the
// limits are hugepage limits, and a memory limit shows the refusal of a controller the
// subtree lacks.
#include <sys/stat.h>
#include <unistd.h>

#include "rootless_fixture.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Where the host mounts its cgroup2 hierarchy; empty when it has none.
fs::path host_unified_mount() {
  for (const char* dir : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
    if (fs::exists(fs::path(dir) / "cgroup.controllers")) return dir;
  return {};
}

std::set<std::string> words_in(const fs::path& file) {
  std::set<std::string> out;
  std::istringstream in(read_file(file));
  for (std::string word; in >> word;) out.insert(word);
  return out;
}

enum class HostView { as_is, pure_v2 };

class RootlessDelegated : public Rootless, public ::testing::WithParamInterface<HostView> {
 protected:
  void SetUp() override {
    Rootless::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    unified_ = host_unified_mount();
    if (unified_.empty()) GTEST_SKIP() << "this host has no cgroup2 hierarchy";
    if (!is_minirun() && pure_v2() == false)
      GTEST_SKIP() << "runc drives v1 on a hybrid host, where nothing is delegated to a user";
    parent_ = test_cgroup_parent();
    delegated_ = unified_ / fs::path(parent_).relative_path();
    ASSERT_TRUE(fs::create_directory(delegated_)) << delegated_;
    ASSERT_NO_FATAL_FAILURE(give_to_user(delegated_));
    ASSERT_TRUE(fs::create_directory(delegated_ / "shell"));
    ASSERT_NO_FATAL_FAILURE(give_to_user(delegated_ / "shell"));
    registry().cgroup_parents.push_back(parent_ + "/shell");
    // Each runtime call moves itself into the user's shell cgroup as root, then drops to the
    // user: a user cannot move itself from a cgroup it does not own.
    const std::string view = pure_v2() ? "/sys/fs/cgroup" : unified_.string();
    const std::string move_in =
        "echo $$ > " + view + parent_ + "/shell/cgroup.procs && exec \"$@\"";
    if (pure_v2())
      launcher_ = {"unshare",
                   "-m",
                   "--propagation",
                   "private",
                   "sh",
                   "-c",
                   "umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && " + move_in,
                   "sh"};
    else
      launcher_ = {"sh", "-c", move_in, "sh"};
    view_ = view;
  }

  void TearDown() override {
    Rootless::TearDown();
    if (!delegated_.empty()) {
      rmdir((delegated_ / "shell").c_str());
      rmdir(delegated_.c_str());
      EXPECT_FALSE(fs::exists(delegated_)) << "cgroups left below " << delegated_;
    }
  }

  bool pure_v2() const { return GetParam() == HostView::pure_v2; }

  // What a delegation hands over: the directory and the files that let its owner make
  // children, move processes and pass controllers on (cgroup-v2.rst, "Delegation").
  void give_to_user(const fs::path& dir) {
    for (const fs::path& p :
         {dir, dir / "cgroup.procs", dir / "cgroup.subtree_control", dir / "cgroup.threads"})
      ASSERT_EQ(chown(p.c_str(), uid_, gid_), 0) << p;
  }

  bool offers_hugetlb() const {
    return words_in(unified_ / "cgroup.subtree_control").count("hugetlb") > 0 &&
           fs::exists("/sys/kernel/mm/hugepages/hugepages-2048kB");
  }

  json state_file(const std::string& id) {
    return json::parse(read_file(user_root() / id / "state.json"));
  }

  pid_t init_pid(const std::string& id) {
    RunResult state = as_user({"state", id});
    EXPECT_EQ(state.exit_code, 0) << state;
    return state.exit_code == 0 ? json::parse(state.out)["pid"].get<pid_t>() : -1;
  }

  fs::path unified_;    // the host's cgroup2 mount, as the test sees it
  std::string view_;    // the same, as the runtime sees it
  std::string parent_;  // the delegated cgroup, inside the hierarchy
  fs::path delegated_;
};

TEST_P(RootlessDelegated, LimitsAndEveryCgroupVerbWorkInsideTheSubtree) {
  if (!offers_hugetlb()) GTEST_SKIP() << "no hugetlb in this host's cgroup2";
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"sleep", "1000"}));
  bundle.config["linux"]["cgroupsPath"] = parent_ + "/" + bundle.id;
  bundle.config["linux"]["resources"] = {
      {"hugepageLimits", json::array({{{"pageSize", "2MB"}, {"limit", 4 << 20}}})}};
  bundle.write();
  const fs::path cgroup = delegated_ / bundle.id;

  if (is_minirun()) {  // check tells where create would put it, and makes nothing
    RunResult check = as_user({"check", bundle.dir().string()});
    EXPECT_EQ(check.exit_code, 0) << check;
    EXPECT_TRUE(contains(check.out,
                         "cgroups: delegated (rootless, inside a cgroup2 subtree its "
                         "user may write)\n  " +
                             view_ + parent_ + "/" + bundle.id + "\n"))
        << check;
    EXPECT_FALSE(fs::exists(cgroup));
  }

  RunOptions detached;
  detached.output_file = (test_dir() / "run.out").string();
  RunResult ran = as_user({"run", "-d", "--bundle", bundle.dir().string(), bundle.id}, detached);
  ASSERT_EQ(ran.exit_code, 0) << ran;
  const pid_t init = init_pid(bundle.id);
  if (is_minirun()) {
    EXPECT_EQ(state_file(bundle.id)["cgroup_paths"],
              json({{"unified", view_ + parent_ + "/" + bundle.id}}));
  }
  EXPECT_EQ(read_file(cgroup / "hugetlb.2MB.max"), std::to_string(4 << 20) + "\n");
  EXPECT_TRUE(words_in(cgroup / "cgroup.procs").count(std::to_string(init))) << cgroup;

  RunResult ps = as_user({"ps", "--format", "json", bundle.id});
  ASSERT_EQ(ps.exit_code, 0) << ps;
  EXPECT_TRUE(contains(ps.out, std::to_string(init))) << ps;

  ASSERT_EQ(as_user({"pause", bundle.id}).exit_code, 0);
  EXPECT_TRUE(contains(read_file(cgroup / "cgroup.events"), "frozen 1"));
  EXPECT_TRUE(contains(as_user({"state", bundle.id}).out, "\"paused\""));
  ASSERT_EQ(as_user({"resume", bundle.id}).exit_code, 0);
  EXPECT_TRUE(contains(read_file(cgroup / "cgroup.events"), "frozen 0"));
  EXPECT_TRUE(contains(as_user({"state", bundle.id}).out, "\"running\""));

  const fs::path resources = test_dir() / "resources.json";
  write_file(resources, R"({"hugepageLimits":[{"pageSize":"2MB","limit":8388608}]})");
  ASSERT_EQ(chown(resources.c_str(), uid_, gid_), 0);
  RunResult updated = as_user({"update", "--resources", resources.string(), bundle.id});
  ASSERT_EQ(updated.exit_code, 0) << updated;
  // runc 1.1.5's update takes the resources file but leaves hugepageLimits out.
  if (is_minirun()) {
    EXPECT_EQ(read_file(cgroup / "hugetlb.2MB.max"), "8388608\n");
  }

  RunResult stats = as_user({"events", "--stats", bundle.id});
  ASSERT_EQ(stats.exit_code, 0) << stats;
  json data = json::parse(stats.out)["data"];
  EXPECT_GT(data["cpu"]["usage"]["total"].get<uint64_t>(), 0u) << stats;
  EXPECT_TRUE(data["hugetlb"].contains("2MB")) << stats;

  // exec joins the container's cgroup: the root of its cgroup namespace (minirun's rootless
  // spec has one), or the cgroup itself.
  RunResult exec = as_user({"exec", bundle.id, "cat", "/proc/self/cgroup"});
  ASSERT_EQ(exec.exit_code, 0) << exec;
  const std::string unified_line = exec.out.substr(exec.out.rfind("\n0::") + 1);
  EXPECT_TRUE(unified_line == "0::/\n" || unified_line == "0::" + parent_ + "/" + bundle.id + "\n")
      << exec;

  ASSERT_EQ(as_user({"kill", "--all", bundle.id, "KILL"}).exit_code, 0);
  RunResult deleted;
  for (int i = 0; i < 50; ++i) {
    deleted = as_user({"delete", bundle.id});
    if (deleted.exit_code == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_FALSE(fs::exists(cgroup));
  EXPECT_FALSE(fs::exists(user_root() / bundle.id));
}

// Beside, not below: the caller's own cgroup holds the caller, and cgroup2 passes no controller
// on from a cgroup with processes (runc's fs2 manager places it there for that reason).
TEST_P(RootlessDelegated, WithoutACgroupsPathTheCgroupIsBesideTheCallersOwn) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"sleep", "1000"}));
  RunOptions detached;
  detached.output_file = (test_dir() / "run.out").string();
  RunResult ran = as_user({"run", "-d", "--bundle", bundle.dir().string(), bundle.id}, detached);
  ASSERT_EQ(ran.exit_code, 0) << ran;
  const fs::path cgroup = delegated_ / bundle.id;
  const pid_t init = init_pid(bundle.id);
  EXPECT_TRUE(words_in(cgroup / "cgroup.procs").count(std::to_string(init))) << cgroup;
  RunResult ps = as_user({"ps", bundle.id});
  EXPECT_EQ(ps.exit_code, 0) << ps;
  EXPECT_TRUE(contains(ps.out, std::to_string(init))) << ps;
  RunResult deleted = as_user({"delete", "--force", bundle.id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
  EXPECT_FALSE(fs::exists(cgroup));
}

TEST_P(RootlessDelegated, LimitsBelowTheCallersOwnCgroupAreRefusedBeforeAnythingExists) {
  if (!offers_hugetlb()) GTEST_SKIP() << "no hugetlb in this host's cgroup2";
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"true"}));
  bundle.config["linux"]["cgroupsPath"] = parent_ + "/shell/" + bundle.id;
  bundle.config["linux"]["resources"] = {
      {"hugepageLimits", json::array({{{"pageSize", "2MB"}, {"limit", 4 << 20}}})}};
  bundle.write();
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  EXPECT_NE(r.exit_code, 0) << r;
  if (is_minirun()) {
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_TRUE(contains(r.err, "cgroup controller \"hugetlb\" cannot reach")) << r;
    EXPECT_TRUE(contains(r.err, "holds processes")) << r;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
  }
  EXPECT_FALSE(fs::exists(user_root() / bundle.id));
  EXPECT_FALSE(fs::exists(delegated_ / "shell" / bundle.id));
}

TEST_P(RootlessDelegated, AControllerTheSubtreeLacksIsNamed) {
  if (words_in(unified_ / "cgroup.subtree_control").count("memory"))
    GTEST_SKIP() << "memory is on this host's cgroup2";
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"true"}));
  bundle.config["linux"]["cgroupsPath"] = parent_ + "/" + bundle.id;
  bundle.config["linux"]["resources"] = {{"memory", {{"limit", 64 << 20}}}};
  bundle.write();
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  EXPECT_NE(r.exit_code, 0) << r;
  if (is_minirun()) {
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_TRUE(contains(r.err,
                         "cgroup controller \"memory\" is not available in the "
                         "delegated cgroup " +
                             view_ + parent_))
        << r;
  }
  EXPECT_FALSE(fs::exists(user_root() / bundle.id));
  EXPECT_FALSE(fs::exists(delegated_ / bundle.id));
}

INSTANTIATE_TEST_SUITE_P(HostViews, RootlessDelegated,
                         ::testing::Values(HostView::as_is, HostView::pure_v2),
                         [](const auto& info) {
                           return info.param == HostView::as_is ? "AsIs" : "PureV2";
                         });

// No delegation: the user's process stays in the root cgroup, which it cannot write.
TEST_F(Rootless, ACgroupsPathWithoutDelegationIsRefusedBeforeAnythingExists) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"true"}));
  bundle.config["linux"]["cgroupsPath"] = test_cgroup_parent() + "/" + bundle.id;
  bundle.write();
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  EXPECT_NE(r.exit_code, 0) << r;
  if (is_minirun()) {
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_TRUE(contains(r.err,
                         "config.json: /linux/cgroupsPath: a rootless container cannot "
                         "be placed in cgroup"))
        << r;
    EXPECT_TRUE(contains(r.err, "not writable by uid " + std::to_string(uid_))) << r;
    EXPECT_FALSE(fs::exists(user_root() / bundle.id));
  }
  EXPECT_TRUE(no_processes_of(uid_));
}

}  // namespace
}  // namespace minirun::itest
