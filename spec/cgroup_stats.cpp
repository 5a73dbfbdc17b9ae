#include "spec/cgroup_stats.hpp"

#include <nlohmann/json.hpp>

namespace minirun::spec {

namespace {

using ojson = nlohmann::ordered_json;

// Go's omitempty: zero numbers and empty lists are left out.
void put_nonzero(ojson& j, const char* key, uint64_t value) {
  if (value != 0) j[key] = value;
}

void put_list(ojson& j, const char* key, const std::vector<uint64_t>& values) {
  if (!values.empty()) j[key] = values;
}

ojson cpu_json(const CgroupStats& s) {
  ojson usage = ojson::object();
  put_nonzero(usage, "total", s.cpu_usage.total);
  put_list(usage, "percpu", s.cpu_usage.percpu);
  put_list(usage, "percpu_kernel", s.cpu_usage.percpu_kernel);
  put_list(usage, "percpu_user", s.cpu_usage.percpu_user);
  usage["kernel"] = s.cpu_usage.kernel;
  usage["user"] = s.cpu_usage.user;
  ojson throttling = ojson::object();
  put_nonzero(throttling, "periods", s.throttling.periods);
  put_nonzero(throttling, "throttledPeriods", s.throttling.throttled_periods);
  put_nonzero(throttling, "throttledTime", s.throttling.throttled_time);
  ojson cpu;
  cpu["usage"] = usage;
  cpu["throttling"] = throttling;
  return cpu;
}

ojson memory_entry_json(const MemoryEntryStats& e) {
  ojson j;
  j["limit"] = e.limit;
  put_nonzero(j, "usage", e.usage);
  put_nonzero(j, "max", e.max);
  j["failcnt"] = e.failcnt;
  return j;
}

ojson memory_json(const MemoryStats& m) {
  ojson j = ojson::object();
  put_nonzero(j, "cache", m.cache);
  j["usage"] = memory_entry_json(m.usage);
  j["swap"] = memory_entry_json(m.swap);
  j["kernel"] = memory_entry_json(m.kernel);
  j["kernelTCP"] = memory_entry_json(m.kernel_tcp);
  if (!m.raw.empty()) j["raw"] = m.raw;
  return j;
}

ojson blkio_entries(const std::vector<BlkioEntry>& entries) {
  ojson list = ojson::array();
  for (const auto& e : entries) {
    ojson j = ojson::object();
    put_nonzero(j, "major", e.major);
    put_nonzero(j, "minor", e.minor);
    if (!e.op.empty()) j["op"] = e.op;
    put_nonzero(j, "value", e.value);
    list.push_back(j);
  }
  return list;
}

ojson blkio_json(const BlkioStats& b) {
  ojson j = ojson::object();
  if (!b.io_service_bytes_recursive.empty())
    j["ioServiceBytesRecursive"] = blkio_entries(b.io_service_bytes_recursive);
  if (!b.io_serviced_recursive.empty())
    j["ioServicedRecursive"] = blkio_entries(b.io_serviced_recursive);
  return j;
}

// runc's types.NetworkInterface has no json tags, so Go writes its field names as they are:
// {"Name":"eth0","RxBytes":..}. Kept byte for byte for tools that read runc's output.
ojson interfaces_json(const std::optional<std::vector<NetworkInterfaceStats>>& interfaces) {
  if (!interfaces) return nullptr;
  ojson list = ojson::array();
  for (const auto& i : *interfaces) {
    ojson j;
    j["Name"] = i.name;
    j["RxBytes"] = i.rx_bytes;
    j["RxPackets"] = i.rx_packets;
    j["RxErrors"] = i.rx_errors;
    j["RxDropped"] = i.rx_dropped;
    j["TxBytes"] = i.tx_bytes;
    j["TxPackets"] = i.tx_packets;
    j["TxErrors"] = i.tx_errors;
    j["TxDropped"] = i.tx_dropped;
    list.push_back(j);
  }
  return list;
}

}  // namespace

std::string stats_event_json(const std::string& id, const CgroupStats& stats) {
  ojson data;
  data["cpu"] = cpu_json(stats);
  data["memory"] = memory_json(stats.memory);
  ojson pids = ojson::object();
  put_nonzero(pids, "current", stats.pids_current);
  put_nonzero(pids, "limit", stats.pids_limit);
  data["pids"] = pids;
  data["blkio"] = blkio_json(stats.blkio);
  ojson hugetlb = ojson::object();
  for (const auto& [size, h] : stats.hugetlb) {
    ojson j = ojson::object();
    put_nonzero(j, "usage", h.usage);
    put_nonzero(j, "max", h.max);
    j["failcnt"] = h.failcnt;
    hugetlb[size] = j;
  }
  data["hugetlb"] = hugetlb;
  data["intel_rdt"] = ojson::object();
  data["network_interfaces"] = interfaces_json(stats.network_interfaces);
  ojson event;
  event["type"] = "stats";
  event["id"] = id;
  event["data"] = data;
  return event.dump();
}

std::string oom_event_json(const std::string& id) {
  ojson event;
  event["type"] = "oom";
  event["id"] = id;
  return event.dump();
}

}  // namespace minirun::spec
