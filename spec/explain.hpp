// What a config will do, without doing it: the report behind `minirun check`. Pure: the
// verdict on each sysctl comes from the same SysctlPolicy that validation uses, so the report
// and `run` cannot disagree about a key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"
#include "spec/validate.hpp"

namespace minirun::spec {

struct NamespaceExplained {
  std::string type;    // "network", as the spec spells it
  std::string action;  // "create", "join" or "host" (not listed: shared with the caller)
  std::string path;    // for "join"
};

struct SysctlExplained {
  std::string key;
  std::string value;
  std::string file;  // where it is written: /proc/sys/net/ipv4/conf/eth0.100/rp_filter
  bool allowed = false;
  std::string rule;     // sysctl_rule_name()
  std::string reason;   // why, allowed or not
  std::string refusal;  // runc's message when refused
};

struct SeccompExplained {
  std::string default_action;
  size_t rules = 0;     // entries of linux.seccomp.syscalls
  size_t syscalls = 0;  // names across all entries
  std::vector<std::string> architectures;
  std::vector<std::string> flags;
};

// One linux.netDevices entry. The config gives the names; the caller fills in what the host
// has (the runtime reads it), so the report shows what would be moved and kept.
struct NetDeviceExplained {
  std::string host_name;
  std::string target;  // the name inside, or a "%d" template the kernel fills in
  bool found = false;  // present in the runtime's network namespace
  std::string kind;    // "veth", "vxlan"...; empty for a physical device
  uint32_t mtu = 0;
  std::string mac;
  std::vector<std::string> addresses;    // re-added inside: permanent, global
  std::vector<std::string> not_carried;  // "fe80::1/64 (link-local)"
  std::string fate;                      // when the container's network namespace goes
};

// Where create would put the container's cgroups: the driver create's own plan picked and the
// directories it would make (filled by the caller; nullopt when the bundle is refused).
struct CgroupsExplained {
  std::string driver;             // "cgroupfs", "delegated", "none"
  std::vector<std::string> dirs;  // distinct directories
};

struct Explanation {
  // Filled by the caller from the real load path (runtime's load_bundle): whether `run` would
  // accept the bundle, and otherwise the line it would print.
  std::string bundle;
  bool would_run = false;
  std::string error;

  std::vector<NamespaceExplained> namespaces;
  std::vector<SysctlExplained> sysctls;
  std::vector<Mount> mounts;
  std::optional<Root> root;
  std::string hostname;
  std::vector<std::string> readonly_paths;
  std::vector<std::string> masked_paths;
  std::optional<Capabilities> capabilities;
  bool no_new_privileges = false;
  std::optional<SeccompExplained> seccomp;
  std::vector<Rlimit> rlimits;
  std::vector<std::string> args;
  std::vector<NetDeviceExplained> net_devices;
  std::optional<CgroupsExplained> cgroups;
};

Explanation explain_config(const Config& config, const HostFacts& host);

// Human report: one section per concern, a sysctl per line with its rule.
std::string explanation_to_text(const Explanation& e);

// The same report for tools; field names in the spec's camelCase.
std::string explanation_to_json(const Explanation& e);

}  // namespace minirun::spec
