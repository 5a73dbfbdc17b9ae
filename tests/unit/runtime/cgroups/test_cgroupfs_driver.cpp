// The cgroupfs driver driven through the CgroupDriver interface only, as the container code
// drives it, on a fake cgroupfs of plain files in a temp dir (no root, no real cgroup): one
// container's life from create to destroy, on a hybrid layout (v1 cpuset and freezer, cgroup2).
#include <gtest/gtest.h>

#include <filesystem>

#include "runtime/cgroups/driver.hpp"
#include "tests/unit/runtime/cgroups/fake_tree.hpp"

using namespace minirun;
using namespace minirun::runtime;
namespace fs = std::filesystem;

namespace {

class DriverOnFakeTree : public FakeTree {
 protected:
  void SetUp() override {
    FakeTree::SetUp();
    auto driver = cgroup_driver_for({}, spec::Config{}, "c1");
    ASSERT_TRUE(driver) << driver.error().describe();
    driver_ = *driver;
  }

  // A hybrid host whose container cgroup is c1 in every hierarchy; its files exist already,
  // as cgroupfs makes them with the directory.
  CgroupPlan hybrid_plan() {
    put("cpuset/cpuset.cpus", "0-1\n");
    put("cpuset/cpuset.mems", "0\n");
    put("cpuset/c1/cpuset.cpus");
    put("cpuset/c1/cpuset.mems");
    put("cpuset/c1/cgroup.procs");
    put("freezer/c1/cgroup.procs");
    put("freezer/c1/freezer.state", "THAWED\n");
    put("unified/cgroup.controllers", "memory pids\n");
    put("unified/cgroup.subtree_control");
    put("unified/c1/cgroup.procs");
    put("unified/c1/cgroup.controllers", "memory pids\n");
    put("unified/c1/pids.max");
    put("unified/c1/memory.max");
    put("unified/c1/memory.events", "oom 0\noom_kill 0\n");
    CgroupPlan plan;
    plan.host.v1.push_back({dir("cpuset"), "/", {"cpuset"}, "/"});
    plan.host.v1.push_back({dir("freezer"), "/", {"freezer"}, "/"});
    plan.host.unified = CgroupHierarchy{dir("unified"), "/", {}, "/"};
    plan.paths = {{"cpuset", dir("cpuset/c1")},
                  {"freezer", dir("freezer/c1")},
                  {kUnifiedKey, dir("unified/c1")}};
    plan.writes = {{dir("unified/c1"), {"pids.max", "7", "", ""}}};
    plan.v2_controllers = {"memory", "pids"};
    return plan;
  }

  const CgroupDriver* driver_ = nullptr;
};

}  // namespace

TEST_F(DriverOnFakeTree, CreateJoinsInitOutsideItsCloneTarget) {
  const CgroupDriver& cgroups = *driver_;
  CgroupPlan plan = hybrid_plan();
  ASSERT_TRUE(cgroups.create(plan));
  EXPECT_EQ(get("cpuset/c1/cpuset.cpus"), "0-1");
  EXPECT_EQ(get("unified/cgroup.subtree_control"), "+memory +pids");
  EXPECT_EQ(get("unified/c1/pids.max"), "7");

  // clone3 puts init in the cgroup2 directory; the driver joins the v1 ones only.
  sys::Fd target = cgroups.clone_target(plan);
  ASSERT_TRUE(target.valid());
  ASSERT_TRUE(cgroups.join_init(plan, 4242, /*in_clone_target=*/true));
  EXPECT_EQ(get("cpuset/c1/cgroup.procs"), "4242");
  EXPECT_EQ(get("freezer/c1/cgroup.procs"), "4242");
  EXPECT_EQ(get("unified/c1/cgroup.procs"), "");

  // Without clone3's help every cgroup is joined; exec joins the same way.
  ASSERT_TRUE(cgroups.join_init(plan, 4243, /*in_clone_target=*/false));
  EXPECT_EQ(get("unified/c1/cgroup.procs"), "4243");
  ASSERT_TRUE(cgroups.join(plan.paths, 4244));
  EXPECT_EQ(get("unified/c1/cgroup.procs"), "4244");
  auto pids = cgroups.pids(plan.paths);
  ASSERT_TRUE(pids) << pids.error().describe();
  EXPECT_EQ(*pids, std::vector<pid_t>{4244});
}

TEST_F(DriverOnFakeTree, NoCloneTargetWithoutCgroup2) {
  CgroupPlan plan;
  plan.paths = {{"memory", dir("memory/c1")}};
  EXPECT_FALSE(driver_->clone_target(plan).valid());
}

TEST_F(DriverOnFakeTree, UpdateFreezeStatsOfAStoredContainer) {
  // Later verbs know only the paths state.json keeps.
  const CgroupPaths paths = hybrid_plan().paths;
  const CgroupDriver& cgroups = cgroup_driver_of(spec::State{});
  EXPECT_EQ(&cgroups, driver_);

  spec::Resources r;
  r.memory.emplace();
  r.memory->limit = 1 << 20;
  auto updated = cgroups.update(paths, r);
  ASSERT_TRUE(updated) << updated.error().describe();
  EXPECT_EQ(get("unified/c1/memory.max"), "1048576");

  // A hybrid host pauses with its v1 freezer.
  EXPECT_FALSE(cgroups.frozen(paths));
  ASSERT_TRUE(cgroups.freeze(paths));
  EXPECT_TRUE(cgroups.frozen(paths));
  ASSERT_TRUE(cgroups.thaw(paths));
  EXPECT_FALSE(cgroups.frozen(paths));

  // No process to signal: the cgroup is frozen and thawed around an empty list.
  ASSERT_TRUE(cgroups.signal_all(paths, 0));
  EXPECT_EQ(get("freezer/c1/freezer.state").rfind("THAWED", 0), 0u);

  // A cgroup2 controller counts once its parent enables it for the subtree.
  put("unified/cgroup.subtree_control", "memory pids\n");
  put("unified/c1/pids.current", "3\n");
  EXPECT_EQ(cgroups.stats(paths).pids_current, 3u);
}

TEST_F(DriverOnFakeTree, OomEventsFromMemoryEvents) {
  const CgroupPaths paths = hybrid_plan().paths;
  // memory lives in cgroup2 here: its memory.events is watched for a growing oom_kill.
  CgroupPaths v2 = {{kUnifiedKey, paths.at(kUnifiedKey)}};
  auto events = driver_->oom_events(v2);
  ASSERT_TRUE(events) << events.error().describe();
  auto none = (*events)->wait(0);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  put("unified/c1/memory.events", "oom 1\noom_kill 1\n");
  auto fired = (*events)->wait(1000);
  ASSERT_TRUE(fired) << fired.error().describe();
  EXPECT_TRUE(*fired);

  // Without a memory controller the source never fires.
  auto silent = driver_->oom_events({{"cpuset", paths.at("cpuset")}});
  ASSERT_TRUE(silent);
  auto quiet = (*silent)->wait(0);
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(*quiet);
}

TEST_F(DriverOnFakeTree, DestroyRemovesEmptyCgroups) {
  // Real cgroup directories empty themselves on rmdir; here they are empty directories.
  fs::create_directories(dir("memory/c1/sub"));
  fs::create_directories(dir("unified/c1"));
  CgroupPaths paths = {{"memory", dir("memory/c1")}, {kUnifiedKey, dir("unified/c1")}};
  // The cheap way gives up on a cgroup with a child; destroy removes the tree.
  EXPECT_FALSE(driver_->destroy_if_empty(paths));
  EXPECT_TRUE(fs::exists(dir("memory/c1")));
  EXPECT_FALSE(fs::exists(dir("unified/c1")));
  ASSERT_TRUE(driver_->destroy(paths));
  EXPECT_FALSE(fs::exists(dir("memory/c1")));

  fs::create_directories(dir("unified/c2"));
  EXPECT_TRUE(driver_->destroy_if_empty({{kUnifiedKey, dir("unified/c2")}}));
  EXPECT_FALSE(fs::exists(dir("unified/c2")));
}

TEST(CgroupDriverFor, RefusesManagersMinirunLacks) {
  CgroupManagerFlags systemd;
  systemd.systemd = true;
  auto no_systemd = cgroup_driver_for(systemd, spec::Config{}, "c1");
  ASSERT_FALSE(no_systemd);
  EXPECT_NE(no_systemd.error().describe().find("systemd"), std::string::npos);
}
