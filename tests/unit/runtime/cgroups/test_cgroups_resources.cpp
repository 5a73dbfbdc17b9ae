// linux.resources -> cgroup files, v1 and v2, and the checks against the host's controllers.
#include <gtest/gtest.h>

#include "runtime/cgroups/device_filter.hpp"
#include "runtime/cgroups/resources.hpp"

using namespace minirun;
using namespace minirun::runtime;

namespace {

std::vector<std::pair<std::string, std::string>> files(const std::vector<CgroupWrite>& writes) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& w : writes) out.emplace_back(w.file, w.value);
  return out;
}

using Files = std::vector<std::pair<std::string, std::string>>;

spec::Resources memory(int64_t limit, std::optional<int64_t> swap = std::nullopt) {
  spec::Resources r;
  r.memory.emplace();
  r.memory->limit = limit;
  r.memory->swap = swap;
  return r;
}

}  // namespace

TEST(CgroupV1Files, MemoryOpensSwapBeforeLimits) {
  auto w = v1_controller_writes("memory", memory(64 << 20, 128 << 20));
  ASSERT_TRUE(w);
  EXPECT_EQ(files(*w), (Files{{"memory.memsw.limit_in_bytes", "-1"},
                              {"memory.limit_in_bytes", "67108864"},
                              {"memory.memsw.limit_in_bytes", "134217728"}}));
}

TEST(CgroupV1Files, CpuPeriodBeforeQuotaAndCpuset) {
  spec::Resources r;
  r.cpu.emplace();
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->cpus = "0";
  EXPECT_EQ(files(*v1_controller_writes("cpu", r)), (Files{{"cpu.shares", "512"},
                                                           {"cpu.cfs_period_us", "100000"},
                                                           {"cpu.cfs_quota_us", "50000"}}));
  EXPECT_EQ(files(*v1_controller_writes("cpuset", r)), (Files{{"cpuset.cpus", "0"}}));
}

TEST(CgroupV1Files, PidsBlkioHugetlbNetwork) {
  spec::Resources r;
  r.pidsLimit = -1;
  r.blockIO.emplace();
  r.blockIO->weight = 500;
  r.blockIO->throttleReadBpsDevice.push_back({8, 0, 1048576});
  r.hugepageLimits.push_back({"2MB", 4194304});
  r.network.emplace();
  r.network->classID = 0x100001;
  r.network->priorities.push_back({"eth0", 5});
  EXPECT_EQ(files(*v1_controller_writes("pids", r)), (Files{{"pids.max", "max"}}));
  auto blkio = *v1_controller_writes("blkio", r);
  EXPECT_EQ(files(blkio),
            (Files{{"blkio.weight", "500"}, {"blkio.throttle.read_bps_device", "8:0 1048576"}}));
  EXPECT_EQ(blkio[0].fallback_file, "blkio.bfq.weight");
  EXPECT_EQ(files(*v1_controller_writes("hugetlb", r)),
            (Files{{"hugetlb.2MB.limit_in_bytes", "4194304"}}));
  EXPECT_EQ(files(*v1_controller_writes("net_cls", r)), (Files{{"net_cls.classid", "1048577"}}));
  EXPECT_EQ(files(*v1_controller_writes("net_prio", r)), (Files{{"net_prio.ifpriomap", "eth0 5"}}));
}

TEST(CgroupV1Files, DeviceRules) {
  EXPECT_EQ(device_rule_text({false, "", std::nullopt, std::nullopt, "rwm"}), "a");
  EXPECT_EQ(device_rule_text({true, "c", 1, 3, "rw"}), "c 1:3 rw");
  EXPECT_EQ(device_rule_text({true, "c", 136, std::nullopt, ""}), "c 136:* rwm");
  spec::Linux linux;
  EXPECT_TRUE(effective_device_rules(linux).empty());
  linux.resources.emplace();
  linux.resources->devices.push_back({false, "a", std::nullopt, std::nullopt, "rwm"});
  linux.devices.push_back({"c", "/dev/fuse", 10, 229, {}, {}, {}});
  auto rules = effective_device_rules(linux);
  ASSERT_GT(rules.size(), 3u);
  EXPECT_FALSE(rules[0].allow);
  EXPECT_EQ(device_rule_text(rules[1]), "c 10:229 rwm");
  EXPECT_EQ(device_rule_text(rules[2]), "c *:* m");
}

TEST(CgroupV2Files, Conversions) {
  spec::Resources r = memory(100 << 20, 300 << 20);
  r.memory->reservation = 50 << 20;
  r.cpu.emplace();
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.pidsLimit = 10;
  EXPECT_EQ(files(*v2_controller_writes("memory", r)), (Files{{"memory.low", "52428800"},
                                                              {"memory.max", "104857600"},
                                                              {"memory.swap.max", "209715200"}}));
  EXPECT_EQ(files(*v2_controller_writes("cpu", r)),
            (Files{{"cpu.weight", "39"}, {"cpu.max", "50000 100000"}}));
  EXPECT_EQ(files(*v2_controller_writes("pids", r)), (Files{{"pids.max", "10"}}));
  r.cpu->quota = -1;
  r.cpu->period.reset();
  EXPECT_EQ(files(*v2_controller_writes("cpu", r)),
            (Files{{"cpu.weight", "39"}, {"cpu.max", "max"}}));
}

TEST(CgroupV2Files, ErrorsForWhatV2CannotExpress) {
  spec::Resources r;
  r.memory.emplace();
  r.memory->swap = 100;
  EXPECT_FALSE(v2_controller_writes("memory", r));
  spec::Resources rt;
  rt.cpu.emplace();
  rt.cpu->realtimeRuntime = 1000;
  EXPECT_FALSE(v2_controller_writes("cpu", rt));
}

TEST(CgroupV2Files, IoWeightsAndThrottles) {
  spec::Resources r;
  r.blockIO.emplace();
  r.blockIO->weight = 1000;
  r.blockIO->throttleWriteIOPSDevice.push_back({8, 16, 300});
  auto w = *v2_controller_writes("io", r);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].file, "io.bfq.weight");
  EXPECT_EQ(w[0].value, "default 1000");
  EXPECT_EQ(w[0].fallback_file, "io.weight");
  EXPECT_EQ(w[0].fallback_value, "default 10000");
  EXPECT_EQ(w[1].file, "io.max");
  EXPECT_EQ(w[1].value, "8:16 wiops=300");
}

TEST(CgroupPlanWrites, HybridSendsHugetlbToUnified) {
  CgroupLayout layout{{{"memory", "/m/c"}, {"pids", "/p/c"}, {kUnifiedKey, "/u/c"}}, {"hugetlb"}};
  spec::Resources r = memory(1 << 20);
  r.hugepageLimits.push_back({"2MB", 0});
  auto plan = plan_resource_writes(layout, r);
  ASSERT_TRUE(plan) << plan.error().describe();
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].dir, "/m/c");
  EXPECT_EQ((*plan)[0].write.file, "memory.limit_in_bytes");
  EXPECT_EQ((*plan)[1].dir, "/u/c");
  EXPECT_EQ((*plan)[1].write.file, "hugetlb.2MB.max");
}

TEST(CgroupPlanWrites, MissingControllerIsNamedUnlessNothingAsked) {
  CgroupLayout layout{{{kUnifiedKey, "/u/c"}}, {"hugetlb"}};
  auto plan = plan_resource_writes(layout, memory(1 << 20));
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("cgroup controller \"memory\" is not available"),
            std::string::npos);
  EXPECT_NE(plan.error().message.find("linux.resources.memory"), std::string::npos);
  // Unlimited asks nothing of the controller.
  EXPECT_TRUE(plan_resource_writes(layout, memory(-1)));
  spec::Resources net;
  net.network.emplace();
  net.network->classID = 1;
  auto no_net_cls = plan_resource_writes(layout, net);
  ASSERT_FALSE(no_net_cls);
  EXPECT_NE(no_net_cls.error().message.find("net_cls"), std::string::npos);
}

TEST(CgroupPlanWrites, UnifiedKeys) {
  spec::Resources r;
  r.unified["hugetlb.2MB.max"] = "0";
  r.unified["cgroup.max.depth"] = "3";
  CgroupLayout v2{{{kUnifiedKey, "/u/c"}}, {"hugetlb"}};
  auto plan = plan_resource_writes(v2, r);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->size(), 2u);
  r.unified["memory.high"] = "1M";
  EXPECT_FALSE(plan_resource_writes(v2, r));
  CgroupLayout v1_only{{{"memory", "/m/c"}}, {}};
  EXPECT_FALSE(plan_resource_writes(v1_only, r));
}

TEST(CgroupPlanWrites, DevicesOnV2NeedAProgram) {
  spec::Resources r;
  r.devices.push_back({false, "a", std::nullopt, std::nullopt, "rwm"});
  CgroupLayout v2{{{kUnifiedKey, "/u/c"}}, {}};
  EXPECT_TRUE(needs_v2_device_program(v2, r));
  EXPECT_TRUE(plan_resource_writes(v2, r));
  CgroupLayout v1{{{"devices", "/d/c"}, {kUnifiedKey, "/u/c"}}, {}};
  EXPECT_FALSE(needs_v2_device_program(v1, r));
  auto plan = plan_resource_writes(v1, r);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].write.file, "devices.deny");
}

TEST(DeviceFilter, ProgramJumpsStayInside) {
  std::vector<spec::DeviceCgroupRule> rules = {{false, "a", std::nullopt, std::nullopt, "rwm"},
                                               {true, "c", 1, 3, "rwm"},
                                               {true, "c", 136, std::nullopt, "rw"}};
  auto prog = device_filter_program(rules);
  ASSERT_GT(prog.size(), 8u);
  EXPECT_EQ(prog.back().code, BPF_JMP | BPF_EXIT);
  for (size_t i = 0; i < prog.size(); ++i) {
    bool conditional = (prog[i].code & 0x07) == BPF_JMP && (prog[i].code & 0xf0) != BPF_EXIT;
    if (conditional) {
      EXPECT_LT(i + 1 + prog[i].off, prog.size()) << "insn " << i;
    }
  }
}
