// The file side of cgroups against a fake cgroupfs made of plain files in a temp dir: no root
// and no real cgroup needed.
#include <gtest/gtest.h>

#include "runtime/cgroups/cgroups.hpp"
#include "runtime/cgroups/freezer.hpp"
#include "runtime/cgroups/stats.hpp"
#include "spec/cgroup_stats.hpp"
#include "tests/unit/runtime/cgroups/fake_tree.hpp"

using namespace minirun;
using namespace minirun::runtime;

TEST_F(FakeTree, AppliesV1AndV2Writes) {
  put("memory/c/memory.limit_in_bytes");
  put("unified/c/memory.max");
  put("unified/c/io.weight");
  spec::Resources r;
  r.memory.emplace();
  r.memory->limit = 1 << 20;
  r.blockIO.emplace();
  r.blockIO->weight = 10;
  CgroupLayout hybrid{{{"memory", dir("memory/c")}, {kUnifiedKey, dir("unified/c")}}, {"io"}};
  auto plan = plan_resource_writes(hybrid, r);
  ASSERT_TRUE(plan) << plan.error().describe();
  ASSERT_TRUE(apply_writes(*plan));
  EXPECT_EQ(get("memory/c/memory.limit_in_bytes"), "1048576");
  // io.bfq.weight does not exist in the tree: the fallback io.weight got the converted value.
  EXPECT_EQ(get("unified/c/io.weight"), "default 1");

  spec::Resources memory_only;
  memory_only.memory = r.memory;
  CgroupLayout v2{{{kUnifiedKey, dir("unified/c")}}, {"memory"}};
  auto v2_plan = plan_resource_writes(v2, memory_only);
  ASSERT_TRUE(v2_plan) << v2_plan.error().describe();
  ASSERT_TRUE(apply_writes(*v2_plan));
  EXPECT_EQ(get("unified/c/memory.max"), "1048576");
}

TEST_F(FakeTree, WriteErrorNamesTheFile) {
  std::vector<DirWrite> writes = {{dir("memory/c"), {"memory.limit_in_bytes", "5", "", ""}}};
  auto status = apply_writes(writes);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().describe().find(dir("memory/c") + "/memory.limit_in_bytes"),
            std::string::npos);
}

TEST_F(FakeTree, CreateAndJoinFillsCpusetAndEnablesSubtree) {
  put("cpuset/cpuset.cpus", "0-3\n");
  put("cpuset/cpuset.mems", "0\n");
  put("cpuset/pod/cpuset.cpus");
  put("cpuset/pod/cpuset.mems");
  put("cpuset/pod/c1/cpuset.cpus");
  put("cpuset/pod/c1/cpuset.mems");
  put("unified/cgroup.controllers", "cpu memory pids\n");
  put("unified/cgroup.subtree_control");
  put("unified/pod/cgroup.subtree_control", "memory\n");
  put("unified/pod/c1/pids.max");
  put("cpuset/pod/c1/cgroup.procs");
  put("unified/pod/c1/cgroup.procs");

  CgroupPlan plan;
  plan.host.v1.push_back({dir("cpuset"), "/", {"cpuset"}, "/"});
  plan.host.unified = CgroupHierarchy{dir("unified"), "/", {}, "/"};
  plan.paths = {{"cpuset", dir("cpuset/pod/c1")}, {kUnifiedKey, dir("unified/pod/c1")}};
  plan.writes = {{dir("unified/pod/c1"), {"pids.max", "7", "", ""}}};
  plan.v2_controllers = {"cpu", "memory", "pids"};
  auto joined = create_and_join(plan, 4242);
  ASSERT_TRUE(joined) << joined.error().describe();
  EXPECT_EQ(get("cpuset/pod/cpuset.cpus"), "0-3");
  EXPECT_EQ(get("cpuset/pod/c1/cpuset.mems"), "0");
  EXPECT_EQ(get("cpuset/pod/c1/cgroup.procs"), "4242");
  EXPECT_EQ(get("unified/pod/c1/cgroup.procs"), "4242");
  EXPECT_EQ(get("unified/pod/c1/pids.max"), "7");
  // Only what is missing, in one write per level; a level offers its children what its parent
  // enabled below it (pod's own cgroup.controllers is not read).
  EXPECT_EQ(get("unified/cgroup.subtree_control"), "+cpu +memory +pids");
  EXPECT_EQ(get("unified/pod/cgroup.subtree_control"), "+cpu +pids");
  auto pids = cgroup_pids(plan.paths);
  ASSERT_TRUE(pids);
  EXPECT_EQ(*pids, std::vector<pid_t>{4242});
}

TEST_F(FakeTree, FreezerV1AndV2) {
  put("freezer/c/freezer.state", "THAWED\n");
  CgroupPaths v1 = {{"freezer", dir("freezer/c")}};
  EXPECT_FALSE(cgroup_frozen(v1));
  ASSERT_TRUE(freeze_cgroup(v1));
  EXPECT_TRUE(cgroup_frozen(v1));
  ASSERT_TRUE(thaw_cgroup(v1));
  EXPECT_FALSE(cgroup_frozen(v1));

  put("unified/c/cgroup.freeze", "0\n");
  put("unified/c/cgroup.events", "populated 1\nfrozen 1\n");
  CgroupPaths v2 = {{kUnifiedKey, dir("unified/c")}};
  ASSERT_TRUE(freeze_cgroup(v2));
  EXPECT_TRUE(cgroup_frozen(v2));
  EXPECT_EQ(get("unified/c/cgroup.freeze").substr(0, 1), "1");

  EXPECT_FALSE(freeze_cgroup(CgroupPaths{{"memory", dir("memory/c")}}));
}

TEST_F(FakeTree, StatsFromV2Files) {
  put("unified/cgroup.subtree_control", "memory pids io hugetlb\n");
  put("unified/c/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 3\n");
  put("unified/c/memory.current", "4096\n");
  put("unified/c/memory.max", "max\n");
  put("unified/c/memory.stat", "anon 4096\nfile 8192\n");
  put("unified/c/pids.current", "2\n");
  put("unified/c/pids.max", "max\n");
  put("unified/c/io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0\n");
  put("unified/c/hugetlb.2MB.current", "0\n");
  put("unified/c/hugetlb.2MB.events", "max 3\n");
  auto s = read_cgroup_stats({{kUnifiedKey, dir("unified/c")}});
  EXPECT_EQ(s.cpu_usage.total, 1500000u);
  EXPECT_EQ(s.cpu_usage.kernel, 500000u);
  EXPECT_EQ(s.throttling.periods, 3u);
  EXPECT_EQ(s.memory.usage.usage, 4096u);
  EXPECT_EQ(s.memory.cache, 8192u);
  EXPECT_EQ(s.pids_current, 2u);
  EXPECT_EQ(s.pids_limit, 0u);
  ASSERT_EQ(s.blkio.io_service_bytes_recursive.size(), 2u);
  EXPECT_EQ(s.blkio.io_service_bytes_recursive[1].op, "Write");
  EXPECT_EQ(s.hugetlb.at("2MB").failcnt, 3u);

  auto json = spec::stats_event_json("c1", s);
  const std::string prefix = R"({"type":"stats","id":"c1","data":{"cpu":{"usage":{"total":1500000)";
  EXPECT_EQ(json.rfind(prefix, 0), 0u) << json;
  EXPECT_NE(json.find("\"pids\":{\"current\":2}"), std::string::npos) << json;
  EXPECT_EQ(spec::oom_event_json("c1"), "{\"type\":\"oom\",\"id\":\"c1\"}");
}

TEST(CgroupStatsParse, V1Blkio) {
  auto entries = parse_blkio_v1("8:0 Read 4096\n8:0 Write 0\nTotal 4096\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].major, 8u);
  EXPECT_EQ(entries[0].op, "Read");
  EXPECT_EQ(entries[0].value, 4096u);
}
