#include "runtime/network/interface_stats.hpp"

#include <sys/stat.h>

#include <string>

#include "runtime/sys/file.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

std::vector<spec::NetworkInterfaceStats> parse_proc_net_dev(std::string_view text) {
  std::vector<spec::NetworkInterfaceStats> out;
  auto rows = spec::lines(text);
  // Two header lines, then "  name: rx bytes packets errs drop fifo frame compressed
  // multicast, tx bytes packets errs drop fifo colls carrier compressed".
  for (size_t i = 2; i < rows.size(); ++i) {
    std::string_view line = rows[i];
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto name = spec::words(line.substr(0, colon));
    auto fields = spec::words(line.substr(colon + 1));
    if (name.size() != 1 || fields.size() < 12) continue;
    uint64_t v[12] = {};
    bool numbers = true;
    for (size_t n = 0; n < 12 && numbers; ++n) {
      auto value = spec::to_u64(fields[n]);
      numbers = value.has_value();
      v[n] = value.value_or(0);
    }
    if (!numbers) continue;
    spec::NetworkInterfaceStats s;
    s.name = std::string(name[0]);
    s.rx_bytes = v[0], s.rx_packets = v[1], s.rx_errors = v[2], s.rx_dropped = v[3];
    s.tx_bytes = v[8], s.tx_packets = v[9], s.tx_errors = v[10], s.tx_dropped = v[11];
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<std::vector<spec::NetworkInterfaceStats>> read_interface_stats(pid_t init_pid) {
  const std::string proc = "/proc/" + std::to_string(init_pid);
  struct stat theirs {
  }, ours{};
  if (stat((proc + "/ns/net").c_str(), &theirs) < 0 || stat("/proc/self/ns/net", &ours) < 0)
    return std::nullopt;
  if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino) return std::nullopt;
  auto text = sys::read_file(proc + "/net/dev", "interface stats");
  if (!text) return std::nullopt;
  return parse_proc_net_dev(*text);
}

}  // namespace minirun::runtime
