#include "spec/resources.hpp"

#include <algorithm>

#include "spec/parse.hpp"
#include "spec/resources_json.hpp"

namespace minirun::spec {

namespace {

// --- merge ------------------------------------------------------------------------------------

template <class T>
void take(std::optional<T>& in_force, const std::optional<T>& update) {
  if (update) in_force = update;
}

// For the values the cgroup writers skip when 0.
template <class T>
void take_nonzero(std::optional<T>& in_force, const std::optional<T>& update) {
  if (update && *update != 0) in_force = update;
}

void take_nonempty(std::string& in_force, const std::string& update) {
  if (!update.empty()) in_force = update;
}

// Each item of `update` replaces (or is merged into) the item in force with the same key, or
// is added after them.
template <class T, class Key, class Merge>
void merge_by_key(std::vector<T>& in_force, const std::vector<T>& update, Key key, Merge merge) {
  for (const T& item : update) {
    auto same = std::find_if(in_force.begin(), in_force.end(),
                             [&](const T& kept) { return key(kept) == key(item); });
    if (same == in_force.end())
      in_force.push_back(item);
    else
      merge(*same, item);
  }
}

template <class T>
void replace(T& in_force, const T& update) {
  in_force = update;
}

auto device_key = [](const auto& d) { return std::make_pair(d.major, d.minor); };

void merge_memory(MemoryResources& m, const MemoryResources& u) {
  take_nonzero(m.limit, u.limit);
  take_nonzero(m.reservation, u.reservation);
  take_nonzero(m.swap, u.swap);
  take_nonzero(m.kernel, u.kernel);
  take_nonzero(m.kernelTCP, u.kernelTCP);
  take(m.swappiness, u.swappiness);
  if (u.disableOOMKiller && *u.disableOOMKiller) m.disableOOMKiller = true;
  take(m.useHierarchy, u.useHierarchy);
  take(m.checkBeforeUpdate, u.checkBeforeUpdate);
}

void merge_cpu(CpuResources& c, const CpuResources& u) {
  take_nonzero(c.shares, u.shares);
  take_nonzero(c.quota, u.quota);
  take(c.burst, u.burst);
  take_nonzero(c.period, u.period);
  take_nonzero(c.realtimeRuntime, u.realtimeRuntime);
  take_nonzero(c.realtimePeriod, u.realtimePeriod);
  take_nonempty(c.cpus, u.cpus);
  take_nonempty(c.mems, u.mems);
  take(c.idle, u.idle);
}

void merge_block_io(BlockIoResources& b, const BlockIoResources& u) {
  take_nonzero(b.weight, u.weight);
  take_nonzero(b.leafWeight, u.leafWeight);
  merge_by_key(b.weightDevice, u.weightDevice, device_key,
               [](WeightDevice& kept, const WeightDevice& given) {
                 take(kept.weight, given.weight);
                 take(kept.leafWeight, given.leafWeight);
               });
  for (auto list :
       {&BlockIoResources::throttleReadBpsDevice, &BlockIoResources::throttleWriteBpsDevice,
        &BlockIoResources::throttleReadIOPSDevice, &BlockIoResources::throttleWriteIOPSDevice})
    merge_by_key(b.*list, u.*list, device_key, replace<ThrottleDevice>);
}

void merge_network(NetworkResources& n, const NetworkResources& u) {
  take(n.classID, u.classID);
  merge_by_key(
      n.priorities, u.priorities, [](const InterfacePriority& p) { return p.name; },
      replace<InterfacePriority>);
}

// An optional part: merged into the one in force, or taken whole when none is.
template <class T, class Merge>
void merge_part(std::optional<T>& in_force, const std::optional<T>& update, Merge merge) {
  if (!update) return;
  if (!in_force) in_force.emplace();
  merge(*in_force, *update);
}

// --- JSON -------------------------------------------------------------------------------------

using Json = nlohmann::ordered_json;

template <class T>
void put(Json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

void put(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

Json device_rule_json(const DeviceCgroupRule& r) {
  Json j;
  j["allow"] = r.allow;
  put(j, "type", r.type);
  put(j, "major", r.major);
  put(j, "minor", r.minor);
  put(j, "access", r.access);
  return j;
}

Json memory_json(const MemoryResources& m) {
  Json j = Json::object();
  put(j, "limit", m.limit);
  put(j, "reservation", m.reservation);
  put(j, "swap", m.swap);
  put(j, "kernel", m.kernel);
  put(j, "kernelTCP", m.kernelTCP);
  put(j, "swappiness", m.swappiness);
  put(j, "disableOOMKiller", m.disableOOMKiller);
  put(j, "useHierarchy", m.useHierarchy);
  put(j, "checkBeforeUpdate", m.checkBeforeUpdate);
  return j;
}

Json cpu_json(const CpuResources& c) {
  Json j = Json::object();
  put(j, "shares", c.shares);
  put(j, "quota", c.quota);
  put(j, "burst", c.burst);
  put(j, "period", c.period);
  put(j, "realtimeRuntime", c.realtimeRuntime);
  put(j, "realtimePeriod", c.realtimePeriod);
  put(j, "cpus", c.cpus);
  put(j, "mems", c.mems);
  put(j, "idle", c.idle);
  return j;
}

Json throttle_json(const std::vector<ThrottleDevice>& list) {
  Json out = Json::array();
  for (const auto& t : list)
    out.push_back(Json{{"major", t.major}, {"minor", t.minor}, {"rate", t.rate}});
  return out;
}

Json block_io_json(const BlockIoResources& b) {
  Json j = Json::object();
  put(j, "weight", b.weight);
  put(j, "leafWeight", b.leafWeight);
  if (!b.weightDevice.empty()) {
    Json& devices = j["weightDevice"] = Json::array();
    for (const auto& d : b.weightDevice) {
      Json one{{"major", d.major}, {"minor", d.minor}};
      put(one, "weight", d.weight);
      put(one, "leafWeight", d.leafWeight);
      devices.push_back(std::move(one));
    }
  }
  const std::pair<const char*, const std::vector<ThrottleDevice>*> lists[] = {
      {"throttleReadBpsDevice", &b.throttleReadBpsDevice},
      {"throttleWriteBpsDevice", &b.throttleWriteBpsDevice},
      {"throttleReadIOPSDevice", &b.throttleReadIOPSDevice},
      {"throttleWriteIOPSDevice", &b.throttleWriteIOPSDevice}};
  for (const auto& [key, list] : lists)
    if (!list->empty()) j[key] = throttle_json(*list);
  return j;
}

Json network_json(const NetworkResources& n) {
  Json j = Json::object();
  put(j, "classID", n.classID);
  if (!n.priorities.empty()) {
    Json& priorities = j["priorities"] = Json::array();
    for (const auto& p : n.priorities)
      priorities.push_back(Json{{"name", p.name}, {"priority", p.priority}});
  }
  return j;
}

}  // namespace

Resources merge_resources(const Resources& in_force, const Resources& update) {
  Resources r = in_force;
  r.devices.insert(r.devices.end(), update.devices.begin(), update.devices.end());
  merge_part(r.memory, update.memory, merge_memory);
  merge_part(r.cpu, update.cpu, merge_cpu);
  take_nonzero(r.pidsLimit, update.pidsLimit);
  merge_part(r.blockIO, update.blockIO, merge_block_io);
  merge_by_key(
      r.hugepageLimits, update.hugepageLimits, [](const HugepageLimit& h) { return h.pageSize; },
      replace<HugepageLimit>);
  merge_part(r.network, update.network, merge_network);
  for (const auto& [device, limit] : update.rdma) {
    RdmaLimit& kept = r.rdma[device];
    take(kept.hcaHandles, limit.hcaHandles);
    take(kept.hcaObjects, limit.hcaObjects);
  }
  for (const auto& [key, value] : update.unified) r.unified[key] = value;
  return r;
}

Resources resources_in_force(const State& state) {
  if (state.resources) return *state.resources;
  if (state.config.empty()) return {};
  Config config = parse_config(state.config);
  return config.linux && config.linux->resources ? *config.linux->resources : Resources{};
}

Resources with_cpu_bandwidth_pair(Resources update, const Resources& in_force) {
  if (!update.cpu || !in_force.cpu) return update;
  auto given = [](const auto& value) { return value && *value != 0; };
  CpuResources& cpu = *update.cpu;
  if (given(cpu.quota) && !given(cpu.period) && given(in_force.cpu->period))
    cpu.period = in_force.cpu->period;
  else if (given(cpu.period) && !given(cpu.quota) && given(in_force.cpu->quota))
    cpu.quota = in_force.cpu->quota;
  return update;
}

nlohmann::ordered_json resources_json(const Resources& r) {
  Json j = Json::object();
  if (!r.devices.empty()) {
    Json& devices = j["devices"] = Json::array();
    for (const auto& rule : r.devices) devices.push_back(device_rule_json(rule));
  }
  if (r.memory) j["memory"] = memory_json(*r.memory);
  if (r.cpu) j["cpu"] = cpu_json(*r.cpu);
  if (r.pidsLimit) j["pids"] = Json{{"limit", *r.pidsLimit}};
  if (r.blockIO) j["blockIO"] = block_io_json(*r.blockIO);
  if (!r.hugepageLimits.empty()) {
    Json& limits = j["hugepageLimits"] = Json::array();
    for (const auto& h : r.hugepageLimits)
      limits.push_back(Json{{"pageSize", h.pageSize}, {"limit", h.limit}});
  }
  if (r.network) j["network"] = network_json(*r.network);
  if (!r.rdma.empty()) {
    Json& rdma = j["rdma"] = Json::object();
    for (const auto& [device, limit] : r.rdma) {
      Json one = Json::object();
      put(one, "hcaHandles", limit.hcaHandles);
      put(one, "hcaObjects", limit.hcaObjects);
      rdma[device] = std::move(one);
    }
  }
  if (!r.unified.empty()) j["unified"] = r.unified;
  return j;
}

std::string resources_to_json(const Resources& resources) {
  return resources_json(resources).dump();
}

}  // namespace minirun::spec
