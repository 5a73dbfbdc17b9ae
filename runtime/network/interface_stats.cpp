#include "runtime/network/interface_stats.hpp"

#include <sys/stat.h>

#include <sstream>
#include <string>

#include "runtime/sys/file.hpp"

namespace minirun::runtime {

std::vector<spec::NetworkInterfaceStats> parse_proc_net_dev(std::string_view text) {
  std::vector<spec::NetworkInterfaceStats> out;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int header = 0; header < 2 && std::getline(in, line); ++header) {
  }
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t start = line.find_first_not_of(' ');
    spec::NetworkInterfaceStats s;
    s.name = line.substr(start, colon - start);
    // Receive: bytes packets errs drop fifo frame compressed multicast; then transmit: bytes
    // packets errs drop fifo colls carrier compressed.
    std::istringstream counters(line.substr(colon + 1));
    uint64_t v[16] = {};
    int n = 0;
    while (n < 16 && counters >> v[n]) ++n;
    if (n < 12) continue;
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
