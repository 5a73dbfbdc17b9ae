// Which linux.sysctl keys a container may set, and why: runc's validator rules in runc's order
// and words. The one place that decides a key's verdict; validation refuses a config with the
// first refused key, `minirun check` shows the verdict of every key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "spec/config.hpp"
#include "spec/host_facts.hpp"

namespace minirun::spec {

// The rule that decided, named for people and for `check --format json`.
enum class SysctlRule {
  invalid_key,     // a component is empty, "." or "..": it would leave /proc/sys
  ipc_namespace,   // the 8 SysV IPC keys and fs.mqueue.*: need an IPC namespace
  net_namespace,   // net.*: need a network namespace that is not the caller's
  uts_domainname,  // kernel.domainname: allowed with a UTS namespace
  uts_hostname,    // kernel.hostname: refused, the OCI "hostname" field owns it
  user_namespace,  // user.*: need a user namespace
  not_namespaced,  // everything else is global to the host
};

std::string_view sysctl_rule_name(SysctlRule rule);

struct SysctlVerdict {
  SysctlRule rule = SysctlRule::not_namespaced;
  bool allowed = false;
  std::string reason;   // why, in one phrase, allowed or not
  std::string refusal;  // runc's message when refused (no JSON pointer), empty when allowed
};

// Judges keys of one config against one host. Whether a joined netns is the host's is asked
// of the host once, and only when a net.* key needs it (runc's sync.Once).
class SysctlPolicy {
 public:
  SysctlPolicy(const Config& config, const HostFacts& host) : config_(config), host_(host) {}

  SysctlVerdict judge(std::string_view key);

 private:
  struct HostNetwork {
    bool is_host = false;
    std::string error;  // the joined netns could not be inspected
  };
  const HostNetwork& host_network();

  const Config& config_;
  const HostFacts& host_;
  std::optional<HostNetwork> host_network_;
};

}  // namespace minirun::spec
