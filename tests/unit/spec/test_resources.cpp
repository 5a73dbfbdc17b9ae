// linux.resources across updates (spec/resources.hpp): what is in force after one, runc's
// quota/period pairing, and the JSON state.json keeps them in.
#include <gtest/gtest.h>

#include "spec/parse.hpp"
#include "spec/resources.hpp"

using namespace minirun::spec;

namespace {

Resources from(const char* json) {
  return parse_resources(json);
}

std::string json_of(const Resources& r) {
  return resources_to_json(r);
}

}  // namespace

TEST(MergeResources, AnUpdateReplacesWhatItSetsAndKeepsTheRest) {
  Resources in_force = from(R"({"memory":{"limit":67108864,"swap":134217728},
                               "cpu":{"quota":50000,"period":100000,"cpus":"0-1"},
                               "pids":{"limit":10}})");
  Resources after = merge_resources(in_force, from(R"({"cpu":{"quota":30000}})"));
  after = merge_resources(after, from(R"({"memory":{"limit":104857600},"pids":{"limit":40}})"));
  EXPECT_EQ(json_of(after), json_of(from(R"({"memory":{"limit":104857600,"swap":134217728},
                                            "cpu":{"quota":30000,"period":100000,"cpus":"0-1"},
                                            "pids":{"limit":40}})")));
}

TEST(MergeResources, ValuesThatWriteNothingKeepWhatIsInForce) {
  // runc's update sends 0 for what its flags leave out; the cgroup writers skip a 0.
  Resources in_force = from(R"({"memory":{"limit":1000,"reservation":500},
                               "cpu":{"shares":512,"quota":1,"period":2,"cpus":"0","mems":"0"},
                               "pids":{"limit":7},"blockIO":{"weight":300}})");
  Resources zeros = from(R"({"memory":{"limit":0,"reservation":0,"swap":0,"kernelTCP":0},
                            "cpu":{"shares":0,"quota":0,"period":0,"realtimeRuntime":0,
                                   "realtimePeriod":0,"cpus":"","mems":""},
                            "pids":{"limit":0},"blockIO":{"weight":0,"leafWeight":0}})");
  EXPECT_EQ(json_of(merge_resources(in_force, zeros)), json_of(in_force));
}

TEST(MergeResources, ValuesThatAreWrittenAsGivenReplace) {
  // -1 is "no limit", swappiness and idle 0 are real values.
  Resources in_force = from(R"({"memory":{"limit":1000,"swappiness":60},"cpu":{"idle":1},
                               "pids":{"limit":7}})");
  Resources update = from(R"({"memory":{"limit":-1,"swappiness":0},"cpu":{"idle":0},
                             "pids":{"limit":-1}})");
  EXPECT_EQ(json_of(merge_resources(in_force, update)),
            json_of(from(R"({"memory":{"limit":-1,"swappiness":0},"cpu":{"idle":0},
                            "pids":{"limit":-1}})")));
}

TEST(MergeResources, NothingInForceTakesTheUpdateWhole) {
  Resources update = from(R"({"memory":{"limit":1000},"cpu":{"shares":2}})");
  EXPECT_EQ(json_of(merge_resources({}, update)), json_of(update));
  EXPECT_EQ(json_of(merge_resources(update, {})), json_of(update));
}

TEST(MergeResources, KeyedListsReplacePerKeyAndDeviceRulesAppend) {
  Resources in_force = from(R"({
      "devices":[{"allow":false,"access":"rwm"}],
      "blockIO":{"weightDevice":[{"major":8,"minor":0,"weight":100,"leafWeight":10}],
                 "throttleReadBpsDevice":[{"major":8,"minor":0,"rate":1000}]},
      "hugepageLimits":[{"pageSize":"2MB","limit":1},{"pageSize":"1GB","limit":2}],
      "network":{"classID":1,"priorities":[{"name":"eth0","priority":1}]},
      "rdma":{"mlx4_0":{"hcaHandles":3}},
      "unified":{"memory.high":"1000"}})");
  Resources update = from(R"({
      "devices":[{"allow":true,"type":"c","major":1,"minor":3,"access":"rw"}],
      "blockIO":{"weightDevice":[{"major":8,"minor":0,"weight":200},
                                 {"major":8,"minor":16,"weight":300}],
                 "throttleReadBpsDevice":[{"major":8,"minor":0,"rate":0}]},
      "hugepageLimits":[{"pageSize":"2MB","limit":5}],
      "network":{"priorities":[{"name":"eth1","priority":2}]},
      "rdma":{"mlx4_0":{"hcaObjects":4}},
      "unified":{"memory.high":"2000","pids.max":"9"}})");
  EXPECT_EQ(json_of(merge_resources(in_force, update)), json_of(from(R"({
      "devices":[{"allow":false,"access":"rwm"},
                 {"allow":true,"type":"c","major":1,"minor":3,"access":"rw"}],
      "blockIO":{"weightDevice":[{"major":8,"minor":0,"weight":200,"leafWeight":10},
                                 {"major":8,"minor":16,"weight":300}],
                 "throttleReadBpsDevice":[{"major":8,"minor":0,"rate":0}]},
      "hugepageLimits":[{"pageSize":"2MB","limit":5},{"pageSize":"1GB","limit":2}],
      "network":{"classID":1,"priorities":[{"name":"eth0","priority":1},
                                           {"name":"eth1","priority":2}]},
      "rdma":{"mlx4_0":{"hcaHandles":3,"hcaObjects":4}},
      "unified":{"memory.high":"2000","pids.max":"9"}})")));
}

TEST(CpuBandwidthPair, AQuotaOrAPeriodAloneGoesWithTheOtherInForce) {
  Resources in_force = from(R"({"cpu":{"quota":50000,"period":100000}})");
  auto quota_alone = with_cpu_bandwidth_pair(from(R"({"cpu":{"quota":30000}})"), in_force);
  EXPECT_EQ(quota_alone.cpu->quota, 30000);
  EXPECT_EQ(quota_alone.cpu->period, 100000u);
  auto period_alone =
      with_cpu_bandwidth_pair(from(R"({"cpu":{"period":200000,"quota":0}})"), in_force);
  EXPECT_EQ(period_alone.cpu->quota, 50000);
  EXPECT_EQ(period_alone.cpu->period, 200000u);
}

TEST(CpuBandwidthPair, NothingChangesOtherwise) {
  Resources in_force = from(R"({"cpu":{"quota":50000,"period":100000}})");
  for (const char* update : {R"({"cpu":{"quota":1,"period":2}})", R"({"cpu":{"shares":2}})",
                             R"({"memory":{"limit":1}})"}) {
    SCOPED_TRACE(update);
    EXPECT_EQ(json_of(with_cpu_bandwidth_pair(from(update), in_force)), json_of(from(update)));
  }
  // Nothing in force for the other one.
  Resources quota_only = from(R"({"cpu":{"quota":50000}})");
  EXPECT_EQ(json_of(with_cpu_bandwidth_pair(from(R"({"cpu":{"quota":7}})"), quota_only)),
            json_of(from(R"({"cpu":{"quota":7}})")));
  EXPECT_EQ(json_of(with_cpu_bandwidth_pair(from(R"({"cpu":{"quota":7}})"), {})),
            json_of(from(R"({"cpu":{"quota":7}})")));
}

TEST(ResourcesJson, ReadsBackAsItWasWritten) {
  const char* text = R"({"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c",
      "major":1,"minor":-1,"access":"m"}],"memory":{"limit":-1,"reservation":1,"swap":2,
      "kernel":3,"kernelTCP":4,"swappiness":5,"disableOOMKiller":true,"useHierarchy":false,
      "checkBeforeUpdate":true},"cpu":{"shares":1,"quota":-1,"burst":2,"period":3,
      "realtimeRuntime":4,"realtimePeriod":5,"cpus":"0-3","mems":"0","idle":1},
      "pids":{"limit":9},"blockIO":{"weight":10,"leafWeight":11,"weightDevice":[{"major":8,
      "minor":0,"weight":12}],"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":13}],
      "throttleWriteBpsDevice":[{"major":8,"minor":0,"rate":14}],"throttleReadIOPSDevice":[
      {"major":8,"minor":0,"rate":15}],"throttleWriteIOPSDevice":[{"major":8,"minor":0,
      "rate":16}]},"hugepageLimits":[{"pageSize":"2MB","limit":17}],"network":{"classID":18,
      "priorities":[{"name":"lo","priority":19}]},"rdma":{"d":{"hcaHandles":20,
      "hcaObjects":21}},"unified":{"a.b":"c"}})";
  std::string once = json_of(from(text));
  EXPECT_EQ(json_of(from(once.c_str())), once);
  EXPECT_EQ(json_of({}), "{}");
  // Unset fields are left out.
  EXPECT_EQ(json_of(from(R"({"cpu":{"shares":2}})")), R"({"cpu":{"shares":2}})");
}

TEST(ResourcesInForce, KeptResourcesElseTheConfigsElseNone) {
  State state;
  EXPECT_EQ(json_of(resources_in_force(state)), "{}");
  state.config = R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},
                    "process":{"args":["sh"],"cwd":"/"},
                    "linux":{"resources":{"memory":{"limit":1000}}}})";
  EXPECT_EQ(json_of(resources_in_force(state)), R"({"memory":{"limit":1000}})");
  state.resources = from(R"({"memory":{"limit":2000}})");
  EXPECT_EQ(json_of(resources_in_force(state)), R"({"memory":{"limit":2000}})");
  state.resources.reset();
  state.config = "{";
  EXPECT_THROW(resources_in_force(state), ConfigError);
}

TEST(StoredState, KeepsTheResourcesInForce) {
  State state;
  state.ociVersion = "1.0.2";
  state.id = "c1";
  state.status = ContainerStatus::running;
  state.bundle = "/b";
  state.rootfs = "/b/rootfs";
  state.created = "2026-11-28T00:00:00.000000000Z";
  EXPECT_FALSE(state_from_stored_json(state_to_stored_json(state)).resources);
  state.resources = from(R"({"cpu":{"quota":30000,"period":100000},"pids":{"limit":40}})");
  auto back = state_from_stored_json(state_to_stored_json(state));
  ASSERT_TRUE(back.resources);
  EXPECT_EQ(json_of(*back.resources), json_of(*state.resources));
  EXPECT_EQ(state_to_json(state).find("resources"), std::string::npos);
  std::string damaged = state_to_stored_json(state);
  damaged.replace(damaged.find("\"limit\":40"), 10, "\"limit\":\"x\"");
  EXPECT_THROW(state_from_stored_json(damaged), std::runtime_error);
}
