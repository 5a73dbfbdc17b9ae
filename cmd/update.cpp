// update: change a running container's resources, from a LinuxResources JSON (--resources F,
// "-" for stdin, as containerd sends it) and/or runc's per-resource flags.
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <optional>

#include "cmd/commands.hpp"
#include "runtime/container/cgroup_verbs.hpp"
#include "runtime/sys/file.hpp"
#include "spec/parse.hpp"
#include "spec/quote.hpp"
#include "spec/unsupported.hpp"

namespace minirun::cmd {

namespace {

struct Flags {
  std::string id;
  std::string resources;
  std::string memory, memory_swap, memory_reservation, kernel_memory_tcp;
  std::optional<uint64_t> cpu_shares, cpu_period, cpu_rt_period;
  std::optional<int64_t> cpu_quota, cpu_rt_runtime, pids_limit, cpu_idle;
  std::string cpuset_cpus, cpuset_mems;
  std::optional<uint16_t> blkio_weight;
};

// "512m", "1g", "100000", "-1": bytes, as runc's flags (units.RAMInBytes) take them.
std::optional<int64_t> parse_bytes(const std::string& text) {
  if (text == "-1") return -1;
  size_t used = 0;
  double value;
  try {
    value = std::stod(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  static const std::string kUnits = "kmgtp";
  double scale = 1;
  if (unit.size() == 1 && kUnits.find(unit[0]) != std::string::npos)
    for (size_t i = 0; i <= kUnits.find(unit[0]); ++i) scale *= 1024;
  else if (!unit.empty())
    return std::nullopt;
  if (value < 0) return std::nullopt;
  return static_cast<int64_t>(value * scale);
}

// All of fd 0: containerd writes the JSON into a pipe and closes it.
std::optional<std::string> read_stdin(std::string& text) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0) return std::nullopt;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return "cannot read the resources from stdin";
    text.append(buf, static_cast<size_t>(n));
  }
}

std::optional<std::string> read_resources(const std::string& source, std::string& text) {
  if (source == "-") return read_stdin(text);
  auto read = sys::read_file(source, "update");
  if (!read) return "cannot read " + source;
  text = std::move(*read);
  return std::nullopt;
}

// The flags on top of r; an error line for a bad size.
std::optional<std::string> apply_flags(const Flags& f, spec::Resources& r) {
  auto memory = [&]() -> spec::MemoryResources& {
    if (!r.memory) r.memory.emplace();
    return *r.memory;
  };
  auto cpu = [&]() -> spec::CpuResources& {
    if (!r.cpu) r.cpu.emplace();
    return *r.cpu;
  };
  struct SizeFlag {
    const std::string& text;
    const char* name;
    std::optional<int64_t> spec::MemoryResources::*field;
  };
  for (const SizeFlag& s :
       {SizeFlag{f.memory, "memory", &spec::MemoryResources::limit},
        SizeFlag{f.memory_swap, "memory-swap", &spec::MemoryResources::swap},
        SizeFlag{f.memory_reservation, "memory-reservation", &spec::MemoryResources::reservation},
        SizeFlag{f.kernel_memory_tcp, "kernel-memory-tcp", &spec::MemoryResources::kernelTCP}}) {
    if (s.text.empty()) continue;
    auto bytes = parse_bytes(s.text);
    if (!bytes) return std::string("invalid value for --") + s.name + ": " + spec::go_quote(s.text);
    memory().*s.field = *bytes;
  }
  if (f.cpu_shares) cpu().shares = f.cpu_shares;
  if (f.cpu_period) cpu().period = f.cpu_period;
  if (f.cpu_quota) cpu().quota = f.cpu_quota;
  if (f.cpu_rt_period) cpu().realtimePeriod = f.cpu_rt_period;
  if (f.cpu_rt_runtime) cpu().realtimeRuntime = f.cpu_rt_runtime;
  if (f.cpu_idle) cpu().idle = f.cpu_idle;
  if (!f.cpuset_cpus.empty()) cpu().cpus = f.cpuset_cpus;
  if (!f.cpuset_mems.empty()) cpu().mems = f.cpuset_mems;
  if (f.pids_limit) r.pidsLimit = f.pids_limit;
  if (f.blkio_weight) {
    if (!r.blockIO) r.blockIO.emplace();
    r.blockIO->weight = f.blkio_weight;
  }
  return std::nullopt;
}

}  // namespace

int update_command(const Invocation& in) {
  Flags f;
  auto cmd = in.parser();
  cmd.positional("ID", f.id, "container ID").required();
  cmd.option("-r,--resources", f.resources, "path to a LinuxResources JSON file, or - for stdin");
  cmd.option("--memory", f.memory, "memory limit (bytes; k, m, g suffixes)");
  cmd.option("--memory-swap", f.memory_swap, "memory+swap limit; -1 for unlimited");
  cmd.option("--memory-reservation", f.memory_reservation, "memory soft limit");
  cmd.option("--kernel-memory-tcp", f.kernel_memory_tcp, "kernel TCP buffer limit (v1)");
  cmd.option("--cpu-shares", f.cpu_shares, "relative CPU weight");
  cmd.option("--cpu-period", f.cpu_period, "CFS period (microseconds)");
  cmd.option("--cpu-quota", f.cpu_quota, "CFS quota per period (microseconds)");
  cmd.option("--cpu-rt-period", f.cpu_rt_period, "realtime period (microseconds)");
  cmd.option("--cpu-rt-runtime", f.cpu_rt_runtime, "realtime runtime (microseconds)");
  cmd.option("--cpu-idle", f.cpu_idle, "SCHED_IDLE for the cgroup (0 or 1)");
  cmd.option("--cpuset-cpus", f.cpuset_cpus, "CPUs allowed (0-3, 0,1)");
  cmd.option("--cpuset-mems", f.cpuset_mems, "memory nodes allowed");
  cmd.option("--pids-limit", f.pids_limit, "maximum number of processes");
  cmd.option("--blkio-weight", f.blkio_weight, "block IO weight (10-1000)");
  if (auto exit = in.parse(cmd)) return *exit;

  spec::Resources resources;
  if (!f.resources.empty()) {
    std::string text;
    if (auto bad = read_resources(f.resources, text)) return report_error(in.globals, *bad);
    try {
      resources = spec::parse_resources(text);
      if (auto unsupported = spec::unsupported_in_resources(resources, "")) throw *unsupported;
    } catch (const spec::ConfigError& e) {
      return report_error(
          in.globals, "resources: " + (e.pointer().empty() ? "" : e.pointer() + ": ") + e.detail());
    }
  }
  if (auto bad = apply_flags(f, resources)) return report_error(in.globals, *bad);
  auto container = runtime::Container::open(in.globals.root, f.id, runtime::Access::change);
  if (!container) return report_error(in.globals, container.error());
  auto done = runtime::update_container(*container, resources);
  return done ? 0 : report_error(in.globals, done.error());
}

}  // namespace minirun::cmd
