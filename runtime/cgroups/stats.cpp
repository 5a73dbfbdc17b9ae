#include "runtime/cgroups/stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "runtime/sys/file.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "stats";

std::optional<std::string> read_text(const std::string& path) {
  auto text = sys::read_file(path, kStep);
  if (!text) return std::nullopt;
  return *text;
}

// A single number; "max" reads as if_max (0 for "no limit" where runc reports none).
uint64_t read_number(const std::string& path, uint64_t if_max = 0) {
  auto text = read_text(path);
  if (!text) return 0;
  if (text->rfind("max", 0) == 0) return if_max;
  try {
    return std::stoull(*text);
  } catch (...) {
    return 0;
  }
}

std::vector<uint64_t> read_numbers(const std::string& path) {
  std::vector<uint64_t> out;
  auto text = read_text(path);
  if (!text) return out;
  for (auto word : spec::words(*text)) {
    auto n = spec::to_u64(word);
    if (!n) break;  // as a stream read stops at the first non-number
    out.push_back(*n);
  }
  return out;
}

const std::string* find(const CgroupPaths& paths, const char* key) {
  auto it = paths.find(key);
  return it == paths.end() ? nullptr : &it->second;
}

// The directory holding `controller`: its v1 hierarchy, else cgroup2 if it is enabled there.
std::optional<std::pair<std::string, bool>> locate(const CgroupPaths& paths, const char* v1,
                                                   const char* v2) {
  if (const auto* dir = find(paths, v1)) return std::make_pair(*dir, false);
  if (const auto* dir = find(paths, kUnifiedKey)) {
    auto controllers = read_text(*dir + "/../cgroup.subtree_control");
    std::string core = v2;
    if (core == "cpu" ||
        (controllers && (" " + *controllers).find(" " + core) != std::string::npos))
      return std::make_pair(*dir, true);
  }
  return std::nullopt;
}

void cpu_stats(const CgroupPaths& paths, spec::CgroupStats& s) {
  if (const auto* acct = find(paths, "cpuacct")) {
    s.cpu_usage.total = read_number(*acct + "/cpuacct.usage");
    s.cpu_usage.percpu = read_numbers(*acct + "/cpuacct.usage_percpu");
    s.cpu_usage.percpu_kernel = read_numbers(*acct + "/cpuacct.usage_percpu_sys");
    s.cpu_usage.percpu_user = read_numbers(*acct + "/cpuacct.usage_percpu_user");
    if (auto text = read_text(*acct + "/cpuacct.stat")) {
      auto stat = parse_flat_keyed(*text);
      long ticks = sysconf(_SC_CLK_TCK);
      uint64_t ns_per_tick = ticks > 0 ? 1000000000ULL / static_cast<uint64_t>(ticks) : 10000000ULL;
      s.cpu_usage.user = stat["user"] * ns_per_tick;
      s.cpu_usage.kernel = stat["system"] * ns_per_tick;
    }
  }
  if (const auto* cpu = find(paths, "cpu")) {
    if (auto text = read_text(*cpu + "/cpu.stat")) {
      auto stat = parse_flat_keyed(*text);
      s.throttling.periods = stat["nr_periods"];
      s.throttling.throttled_periods = stat["nr_throttled"];
      s.throttling.throttled_time = stat["throttled_time"];
    }
    return;
  }
  if (const auto* dir = find(paths, kUnifiedKey)) {
    if (auto text = read_text(*dir + "/cpu.stat")) {
      auto stat = parse_flat_keyed(*text);
      if (!find(paths, "cpuacct")) {
        s.cpu_usage.total = stat["usage_usec"] * 1000;
        s.cpu_usage.user = stat["user_usec"] * 1000;
        s.cpu_usage.kernel = stat["system_usec"] * 1000;
      }
      s.throttling.periods = stat["nr_periods"];
      s.throttling.throttled_periods = stat["nr_throttled"];
      s.throttling.throttled_time = stat["throttled_usec"] * 1000;
    }
  }
}

void memory_stats(const CgroupPaths& paths, spec::CgroupStats& s) {
  auto where = locate(paths, "memory", "memory");
  if (!where) return;
  const auto& [dir, v2] = *where;
  auto& m = s.memory;
  if (auto text = read_text(dir + "/memory.stat")) m.raw = parse_flat_keyed(*text);
  if (!v2) {
    m.cache = m.raw.count("total_cache") ? m.raw["total_cache"] : m.raw["cache"];
    auto entry = [&](const std::string& prefix, spec::MemoryEntryStats& e) {
      e.usage = read_number(dir + "/" + prefix + "usage_in_bytes");
      e.max = read_number(dir + "/" + prefix + "max_usage_in_bytes");
      e.failcnt = read_number(dir + "/" + prefix + "failcnt");
      e.limit = read_number(dir + "/" + prefix + "limit_in_bytes");
    };
    entry("memory.", m.usage);
    entry("memory.memsw.", m.swap);
    entry("memory.kmem.", m.kernel);
    entry("memory.kmem.tcp.", m.kernel_tcp);
    return;
  }
  m.cache = m.raw["file"];
  m.usage.usage = read_number(dir + "/memory.current");
  m.usage.max = read_number(dir + "/memory.peak");
  m.usage.limit = read_number(dir + "/memory.max", UINT64_MAX);
  if (auto events = read_text(dir + "/memory.events"))
    m.usage.failcnt = parse_flat_keyed(*events)["max"];
  // runc reports swap as memory+swap, the v1 meaning.
  m.swap.usage = read_number(dir + "/memory.swap.current") + m.usage.usage;
  uint64_t swap_max = read_number(dir + "/memory.swap.max", UINT64_MAX);
  m.swap.limit =
      swap_max == UINT64_MAX || m.usage.limit == UINT64_MAX ? UINT64_MAX : swap_max + m.usage.limit;
}

void pids_stats(const CgroupPaths& paths, spec::CgroupStats& s) {
  auto where = locate(paths, "pids", "pids");
  if (!where) return;
  s.pids_current = read_number(where->first + "/pids.current");
  s.pids_limit = read_number(where->first + "/pids.max");
}

void blkio_stats(const CgroupPaths& paths, spec::CgroupStats& s) {
  if (const auto* dir = find(paths, "blkio")) {
    auto bytes = read_text(*dir + "/blkio.throttle.io_service_bytes_recursive");
    auto ios = read_text(*dir + "/blkio.throttle.io_serviced_recursive");
    if (bytes) s.blkio.io_service_bytes_recursive = parse_blkio_v1(*bytes);
    if (ios) s.blkio.io_serviced_recursive = parse_blkio_v1(*ios);
    return;
  }
  if (auto where = locate(paths, "blkio", "io"))
    if (auto text = read_text(where->first + "/io.stat")) parse_io_stat(*text, s.blkio);
}

void hugetlb_stats(const CgroupPaths& paths, spec::CgroupStats& s) {
  auto where = locate(paths, "hugetlb", "hugetlb");
  if (!where) return;
  const auto& [dir, v2] = *where;
  for (const auto& size : hugetlb_sizes(dir)) {
    spec::HugetlbStats h;
    std::string base = dir + "/hugetlb." + size;
    if (v2) {
      h.usage = read_number(base + ".current");
      if (auto events = read_text(base + ".events")) h.failcnt = parse_flat_keyed(*events)["max"];
    } else {
      h.usage = read_number(base + ".usage_in_bytes");
      h.max = read_number(base + ".max_usage_in_bytes");
      h.failcnt = read_number(base + ".failcnt");
    }
    s.hugetlb[size] = h;
  }
}

}  // namespace

std::map<std::string, uint64_t> parse_flat_keyed(std::string_view text) {
  std::map<std::string, uint64_t> out;
  for (auto line : spec::lines(text)) {
    auto fields = spec::words(line);
    if (fields.size() < 2) continue;
    if (auto value = spec::to_u64(fields[1])) out[std::string(fields[0])] = *value;
  }
  return out;
}

std::vector<spec::BlkioEntry> parse_blkio_v1(std::string_view text) {
  std::vector<spec::BlkioEntry> out;
  for (auto line : spec::lines(text)) {
    auto fields = spec::words(line);
    if (fields.size() < 3) continue;  // "Total 123" has two fields
    auto value = spec::to_u64(fields[2]);
    if (!value) continue;
    spec::BlkioEntry e;
    if (std::sscanf(std::string(fields[0]).c_str(), "%lu:%lu", &e.major, &e.minor) != 2) continue;
    e.op = std::string(fields[1]);
    e.value = *value;
    out.push_back(e);
  }
  return out;
}

void parse_io_stat(std::string_view text, spec::BlkioStats& out) {
  for (auto line : spec::lines(text)) {
    auto fields = spec::words(line);
    uint64_t major = 0, minor = 0;
    if (fields.empty() ||
        std::sscanf(std::string(fields[0]).c_str(), "%lu:%lu", &major, &minor) != 2)
      continue;
    for (size_t i = 1; i < fields.size(); ++i) {
      std::string_view pair = fields[i];
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = pair.substr(0, eq);
      uint64_t value = spec::to_u64(pair.substr(eq + 1)).value_or(0);
      if (key == "rbytes") out.io_service_bytes_recursive.push_back({major, minor, "Read", value});
      if (key == "wbytes") out.io_service_bytes_recursive.push_back({major, minor, "Write", value});
      if (key == "rios") out.io_serviced_recursive.push_back({major, minor, "Read", value});
      if (key == "wios") out.io_serviced_recursive.push_back({major, minor, "Write", value});
    }
  }
}

std::vector<std::string> hugetlb_sizes(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.rfind("hugetlb.", 0) != 0) continue;
      auto dot = name.find('.', 8);
      if (dot == std::string::npos) continue;
      std::string size = name.substr(8, dot - 8);
      if (std::find(out.begin(), out.end(), size) == out.end()) out.push_back(size);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

spec::CgroupStats read_cgroup_stats(const CgroupPaths& paths) {
  spec::CgroupStats s;
  cpu_stats(paths, s);
  memory_stats(paths, s);
  pids_stats(paths, s);
  blkio_stats(paths, s);
  hugetlb_stats(paths, s);
  return s;
}

}  // namespace minirun::runtime
