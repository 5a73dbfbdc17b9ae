// cgroup v2 file names and values for linux.resources, with runc's conversions of the
// v1-shaped spec values (shares -> weight, memory+swap -> swap, blkio weight -> io weight).
#include "runtime/cgroups/resources.hpp"

namespace minirun::runtime {

namespace {

using Writes = std::vector<CgroupWrite>;

// A v1 limit where -1 means none.
std::string limit_text(int64_t n) {
  return n < 0 ? "max" : std::to_string(n);
}

sys::Status memory(const spec::Resources& r, Writes& out) {
  if (!r.memory) return {};
  const auto& m = *r.memory;
  if (m.reservation && *m.reservation != 0)
    out.push_back({"memory.low", limit_text(*m.reservation), "", ""});
  if (m.limit && *m.limit != 0) out.push_back({"memory.max", limit_text(*m.limit), "", ""});
  if (m.swap && *m.swap != 0) {
    // The spec's swap is memory+swap (v1); cgroup2 limits swap alone.
    if (*m.swap < 0) {
      out.push_back({"memory.swap.max", "max", "", ""});
    } else if (!m.limit || *m.limit == 0) {
      return sys::Error::plain("cgroup", "memory.swap needs memory.limit on cgroup v2");
    } else if (*m.limit < 0) {
      return sys::Error::plain("cgroup",
                               "memory.swap cannot be set with an unlimited memory.limit");
    } else if (*m.swap < *m.limit) {
      return sys::Error::plain("cgroup",
                               "memory.swap (memory+swap) must not be below memory.limit");
    } else {
      out.push_back({"memory.swap.max", std::to_string(*m.swap - *m.limit), "", ""});
    }
  }
  // swappiness, disableOOMKiller and the kernel limits have no cgroup2 files: ignored, as
  // runc ignores them there.
  return {};
}

sys::Status cpu(const spec::Resources& r, Writes& out) {
  if (!r.cpu) return {};
  const auto& c = *r.cpu;
  if (c.shares && *c.shares != 0) {
    uint64_t shares = std::max<uint64_t>(*c.shares, 2);
    uint64_t weight = 1 + ((shares - 2) * 9999) / 262142;
    out.push_back({"cpu.weight", std::to_string(std::min<uint64_t>(weight, 10000)), "", ""});
  }
  bool quota = c.quota && *c.quota != 0;
  bool period = c.period && *c.period != 0;
  if (quota || period) {
    std::string value = quota && *c.quota > 0 ? std::to_string(*c.quota) : "max";
    if (period) value += " " + std::to_string(*c.period);
    out.push_back({"cpu.max", value, "", ""});
  }
  if (c.burst) out.push_back({"cpu.max.burst", std::to_string(*c.burst), "", ""});
  if (c.idle) out.push_back({"cpu.idle", std::to_string(*c.idle), "", ""});
  if ((c.realtimeRuntime && *c.realtimeRuntime != 0) ||
      (c.realtimePeriod && *c.realtimePeriod != 0))
    return sys::Error::plain("cgroup",
                             "realtime cpu scheduling (cpu.realtimeRuntime, "
                             "cpu.realtimePeriod) is not supported on cgroup v2");
  return {};
}

// blkio weights are 10..1000, io.weight 1..10000; io.bfq.weight keeps the blkio scale.
uint64_t io_weight(uint16_t blkio) {
  if (blkio < 10) blkio = 10;
  return 1 + (uint64_t{blkio} - 10) * 9999 / 990;
}

void io(const spec::Resources& r, Writes& out) {
  if (!r.blockIO) return;
  const auto& b = *r.blockIO;
  if (b.weight && *b.weight != 0)
    out.push_back({"io.bfq.weight", "default " + std::to_string(uint64_t{*b.weight}), "io.weight",
                   "default " + std::to_string(io_weight(*b.weight))});
  for (const auto& d : b.weightDevice)
    if (d.weight)
      out.push_back({"io.bfq.weight",
                     major_minor(d.major, d.minor) + " " + std::to_string(uint64_t{*d.weight}),
                     "io.weight",
                     major_minor(d.major, d.minor) + " " + std::to_string(io_weight(*d.weight))});
  auto throttle = [&](const std::vector<spec::ThrottleDevice>& list, const char* key) {
    for (const auto& t : list)
      out.push_back({"io.max",
                     major_minor(t.major, t.minor) + " " + key + "=" + std::to_string(t.rate), "",
                     ""});
  };
  throttle(b.throttleReadBpsDevice, "rbps");
  throttle(b.throttleWriteBpsDevice, "wbps");
  throttle(b.throttleReadIOPSDevice, "riops");
  throttle(b.throttleWriteIOPSDevice, "wiops");
}

void hugetlb(const spec::Resources& r, Writes& out) {
  for (const auto& h : r.hugepageLimits)
    out.push_back({"hugetlb." + h.pageSize + ".max", std::to_string(h.limit), "", ""});
}

}  // namespace

sys::Result<std::vector<CgroupWrite>> v2_controller_writes(std::string_view controller,
                                                           const spec::Resources& r) {
  Writes out;
  if (controller == "memory") {
    MR_TRY(memory(r, out));
  } else if (controller == "cpu") {
    MR_TRY(cpu(r, out));
  } else if (controller == "cpuset") {
    cpuset_writes(r, out);
  } else if (controller == "pids") {
    pids_writes(r, out);
  } else if (controller == "blkio" || controller == "io") {
    io(r, out);
  } else if (controller == "hugetlb") {
    hugetlb(r, out);
  } else if (controller == "rdma") {
    rdma_writes(r, out);
  }
  return out;
}

}  // namespace minirun::runtime
