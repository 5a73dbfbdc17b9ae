// cgroup v1 file names and values for linux.resources, following runc's fs driver.
#include "runtime/cgroups/resources.hpp"

namespace minirun::runtime {

namespace {

using Writes = std::vector<CgroupWrite>;

void memory(const spec::Resources& r, Writes& out) {
  if (!r.memory) return;
  const auto& m = *r.memory;
  if (m.reservation && *m.reservation != 0)
    out.push_back({"memory.soft_limit_in_bytes", std::to_string(*m.reservation), "", ""});
  bool limit = m.limit && *m.limit != 0;
  bool swap = m.swap && *m.swap != 0;
  // memory.memsw (memory+swap) must stay >= memory.limit: open it up first, then set both.
  if (swap) out.push_back({"memory.memsw.limit_in_bytes", "-1", "", ""});
  if (limit) out.push_back({"memory.limit_in_bytes", std::to_string(*m.limit), "", ""});
  if (swap) out.push_back({"memory.memsw.limit_in_bytes", std::to_string(*m.swap), "", ""});
  // Kernel memory limits are ignored, as runc does; kernelTCP still exists.
  if (m.kernelTCP && *m.kernelTCP != 0)
    out.push_back({"memory.kmem.tcp.limit_in_bytes", std::to_string(*m.kernelTCP), "", ""});
  if (m.swappiness) out.push_back({"memory.swappiness", std::to_string(*m.swappiness), "", ""});
  if (m.disableOOMKiller && *m.disableOOMKiller) out.push_back({"memory.oom_control", "1", "", ""});
}

void cpu(const spec::Resources& r, Writes& out) {
  if (!r.cpu) return;
  const auto& c = *r.cpu;
  if (c.shares && *c.shares != 0) out.push_back({"cpu.shares", std::to_string(*c.shares), "", ""});
  // The period first: a quota is checked against the period in force.
  if (c.period && *c.period != 0)
    out.push_back({"cpu.cfs_period_us", std::to_string(*c.period), "", ""});
  if (c.quota && *c.quota != 0)
    out.push_back({"cpu.cfs_quota_us", std::to_string(*c.quota), "", ""});
  if (c.burst) out.push_back({"cpu.cfs_burst_us", std::to_string(*c.burst), "", ""});
  if (c.realtimePeriod && *c.realtimePeriod != 0)
    out.push_back({"cpu.rt_period_us", std::to_string(*c.realtimePeriod), "", ""});
  if (c.realtimeRuntime && *c.realtimeRuntime != 0)
    out.push_back({"cpu.rt_runtime_us", std::to_string(*c.realtimeRuntime), "", ""});
  if (c.idle) out.push_back({"cpu.idle", std::to_string(*c.idle), "", ""});
}

void blkio(const spec::Resources& r, Writes& out) {
  if (!r.blockIO) return;
  const auto& b = *r.blockIO;
  if (b.weight && *b.weight != 0)
    out.push_back({"blkio.weight", std::to_string(uint64_t{*b.weight}), "blkio.bfq.weight",
                   std::to_string(uint64_t{*b.weight})});
  if (b.leafWeight && *b.leafWeight != 0)
    out.push_back({"blkio.leaf_weight", std::to_string(uint64_t{*b.leafWeight}), "", ""});
  for (const auto& d : b.weightDevice) {
    if (d.weight) {
      std::string v = major_minor(d.major, d.minor) + " " + std::to_string(uint64_t{*d.weight});
      out.push_back({"blkio.weight_device", v, "blkio.bfq.weight_device", v});
    }
    if (d.leafWeight)
      out.push_back({"blkio.leaf_weight_device",
                     major_minor(d.major, d.minor) + " " + std::to_string(uint64_t{*d.leafWeight}),
                     "", ""});
  }
  auto throttle = [&](const std::vector<spec::ThrottleDevice>& list, const char* file) {
    for (const auto& t : list)
      out.push_back({file, major_minor(t.major, t.minor) + " " + std::to_string(t.rate), "", ""});
  };
  throttle(b.throttleReadBpsDevice, "blkio.throttle.read_bps_device");
  throttle(b.throttleWriteBpsDevice, "blkio.throttle.write_bps_device");
  throttle(b.throttleReadIOPSDevice, "blkio.throttle.read_iops_device");
  throttle(b.throttleWriteIOPSDevice, "blkio.throttle.write_iops_device");
}

void hugetlb(const spec::Resources& r, Writes& out) {
  for (const auto& h : r.hugepageLimits)
    out.push_back({"hugetlb." + h.pageSize + ".limit_in_bytes", std::to_string(h.limit), "", ""});
}

void devices(const spec::Resources& r, Writes& out) {
  for (const auto& rule : r.devices)
    out.push_back({rule.allow ? "devices.allow" : "devices.deny", device_rule_text(rule), "", ""});
}

void net_cls(const spec::Resources& r, Writes& out) {
  if (r.network && r.network->classID)
    out.push_back({"net_cls.classid", std::to_string(uint64_t{*r.network->classID}), "", ""});
}

void net_prio(const spec::Resources& r, Writes& out) {
  if (!r.network) return;
  for (const auto& p : r.network->priorities)
    out.push_back(
        {"net_prio.ifpriomap", p.name + " " + std::to_string(uint64_t{p.priority}), "", ""});
}

}  // namespace

std::string device_rule_text(const spec::DeviceCgroupRule& rule) {
  std::string type = rule.type.empty() ? "a" : rule.type;
  if (type == "a" && !rule.major && !rule.minor) return "a";
  auto part = [](const std::optional<int64_t>& n) {
    return n && *n >= 0 ? std::to_string(*n) : std::string("*");
  };
  return type + " " + part(rule.major) + ":" + part(rule.minor) + " " +
         (rule.access.empty() ? "rwm" : rule.access);
}

sys::Result<std::vector<CgroupWrite>> v1_controller_writes(std::string_view controller,
                                                           const spec::Resources& r) {
  Writes out;
  if (controller == "memory")
    memory(r, out);
  else if (controller == "cpu")
    cpu(r, out);
  else if (controller == "cpuset")
    cpuset_writes(r, out);
  else if (controller == "pids")
    pids_writes(r, out);
  else if (controller == "blkio")
    blkio(r, out);
  else if (controller == "hugetlb")
    hugetlb(r, out);
  else if (controller == "devices")
    devices(r, out);
  else if (controller == "net_cls")
    net_cls(r, out);
  else if (controller == "net_prio")
    net_prio(r, out);
  else if (controller == "rdma")
    rdma_writes(r, out);
  return out;
}

}  // namespace minirun::runtime
