// A container's cgroup statistics and the JSON `events` prints, in runc's shape
// ({"type":"stats","id":..,"data":{"cpu":..,"memory":..,"pids":..,"blkio":..,"hugetlb":..,
// "network_interfaces":..}}).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace minirun::spec {

struct CpuUsageStats {
  uint64_t total = 0;  // nanoseconds
  std::vector<uint64_t> percpu;
  std::vector<uint64_t> percpu_kernel;
  std::vector<uint64_t> percpu_user;
  uint64_t kernel = 0;
  uint64_t user = 0;
};

struct ThrottlingStats {
  uint64_t periods = 0;
  uint64_t throttled_periods = 0;
  uint64_t throttled_time = 0;  // nanoseconds
};

struct MemoryEntryStats {
  uint64_t limit = 0;
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct MemoryStats {
  uint64_t cache = 0;
  MemoryEntryStats usage;
  MemoryEntryStats swap;
  MemoryEntryStats kernel;
  MemoryEntryStats kernel_tcp;
  std::map<std::string, uint64_t> raw;  // memory.stat as it is
};

struct BlkioEntry {
  uint64_t major = 0;
  uint64_t minor = 0;
  std::string op;  // "Read", "Write", "Sync", "Async", "Discard", "Total"
  uint64_t value = 0;
};

struct BlkioStats {
  std::vector<BlkioEntry> io_service_bytes_recursive;
  std::vector<BlkioEntry> io_serviced_recursive;
};

struct HugetlbStats {
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

// One interface of the container's network namespace, as /proc/net/dev counts it.
struct NetworkInterfaceStats {
  std::string name;
  uint64_t rx_bytes = 0;
  uint64_t rx_packets = 0;
  uint64_t rx_errors = 0;
  uint64_t rx_dropped = 0;
  uint64_t tx_bytes = 0;
  uint64_t tx_packets = 0;
  uint64_t tx_errors = 0;
  uint64_t tx_dropped = 0;
};

struct CgroupStats {
  CpuUsageStats cpu_usage;
  ThrottlingStats throttling;
  MemoryStats memory;
  uint64_t pids_current = 0;
  uint64_t pids_limit = 0;  // 0: unlimited
  BlkioStats blkio;
  std::map<std::string, HugetlbStats> hugetlb;  // by page size, "2MB"
  // The container's own network namespace's interfaces; nullopt (JSON null, as runc prints)
  // when the container shares the runtime's network namespace, whose counters are not its own.
  std::optional<std::vector<NetworkInterfaceStats>> network_interfaces;
};

// One line of `events`: {"type":"stats","id":"c1","data":{...}} (runc's field names and
// omitempty rules, compact).
std::string stats_event_json(const std::string& id, const CgroupStats& stats);
// {"type":"oom","id":"c1"}
std::string oom_event_json(const std::string& id);

}  // namespace minirun::spec
