#include "spec/sysctl_policy.hpp"

#include <algorithm>
#include <array>

#include "spec/quote.hpp"
#include "spec/sysctl_key.hpp"

namespace minirun::spec {

namespace {

constexpr std::array<std::string_view, 8> kIpcSysctls{
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};

bool needs_ipc_namespace(std::string_view dotted) {
  return std::find(kIpcSysctls.begin(), kIpcSysctls.end(), dotted) != kIpcSysctls.end() ||
         dotted.starts_with("fs.mqueue.");
}

// A key is written below /proc/sys; no component may climb out of it.
bool stays_below_proc_sys(std::string_view path) {
  size_t start = 0;
  while (true) {
    size_t end = path.find('/', start);
    std::string_view part = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

bool has_ns(const Config& c, NamespaceType type) {
  return c.linux && c.linux->find_namespace(type) != nullptr;
}

SysctlVerdict allow(SysctlRule rule, std::string reason) {
  return {rule, true, std::move(reason), {}};
}

SysctlVerdict refuse(SysctlRule rule, std::string reason, std::string refusal) {
  return {rule, false, std::move(reason), std::move(refusal)};
}

}  // namespace

std::string_view sysctl_rule_name(SysctlRule rule) {
  switch (rule) {
    case SysctlRule::invalid_key:
      return "invalid-key";
    case SysctlRule::ipc_namespace:
      return "ipc-namespace";
    case SysctlRule::net_namespace:
      return "net-namespace";
    case SysctlRule::uts_domainname:
      return "uts-domainname";
    case SysctlRule::uts_hostname:
      return "uts-hostname";
    case SysctlRule::user_namespace:
      return "user-namespace";
    case SysctlRule::not_namespaced:
      return "not-namespaced";
  }
  return "unknown";
}

// "Host" means the caller's current network namespace, compared by dev and inode, so a bind
// mount of the host netns (docker's /var/run/docker/netns/default) is caught too.
const SysctlPolicy::HostNetwork& SysctlPolicy::host_network() {
  if (host_network_) return *host_network_;
  const Namespace* net =
      config_.linux ? config_.linux->find_namespace(NamespaceType::network) : nullptr;
  HostNetwork result;
  if (!net) {
    result.is_host = true;
  } else if (!net->path.empty()) {
    std::string error = "cannot inspect " + net->path;
    std::optional<NamespaceIdentity> joined;
    if (host_.namespace_identity) joined = host_.namespace_identity(net->path, &error);
    std::optional<NamespaceIdentity> current;
    if (joined && host_.current_netns) current = host_.current_netns();
    if (!joined)
      result.error = error;
    else if (!current)
      result.error = "cannot inspect the current network namespace";
    else
      result.is_host = *joined == *current;
  }
  host_network_ = result;
  return *host_network_;
}

SysctlVerdict SysctlPolicy::judge(std::string_view key) {
  const std::string dotted = sysctl_key_dotted(key);
  const std::string q = go_quote(key);
  if (!stays_below_proc_sys(sysctl_key_path(key)))
    return refuse(SysctlRule::invalid_key, "a component of the key is empty, \".\" or \"..\"",
                  "invalid sysctl key " + q);

  if (needs_ipc_namespace(dotted)) {
    if (has_ns(config_, NamespaceType::ipc))
      return allow(SysctlRule::ipc_namespace, "IPC key, and the container has an IPC namespace");
    return refuse(SysctlRule::ipc_namespace,
                  "IPC key, but the container shares the host's IPC namespace",
                  "sysctl " + q + " is not allowed in the hosts ipc namespace");
  }

  if (dotted.starts_with("net.")) {
    const HostNetwork& net = host_network();
    if (!net.error.empty())
      return refuse(SysctlRule::net_namespace,
                    "net.* key, but the joined network namespace cannot be inspected",
                    "invalid netns path: " + net.error);
    if (net.is_host)
      return refuse(SysctlRule::net_namespace,
                    has_ns(config_, NamespaceType::network)
                        ? "net.* key, but the joined network namespace is the caller's own "
                          "(same device and inode)"
                        : "net.* key, but the container shares the host's network namespace",
                    "sysctl " + q + " not allowed in host network namespace");
    return allow(SysctlRule::net_namespace,
                 "net.* key, and the container's network namespace is not the host's");
  }

  if (has_ns(config_, NamespaceType::uts)) {
    if (dotted == "kernel.domainname")
      return allow(SysctlRule::uts_domainname,
                   "kernel.domainname belongs to the UTS namespace and no OCI field sets it");
    if (dotted == "kernel.hostname")
      return refuse(
          SysctlRule::uts_hostname,
          "kernel.hostname belongs to the UTS namespace, but the OCI \"hostname\" "
          "field sets it",
          "sysctl " + q + " is not allowed as it conflicts with the OCI \"hostname\" field");
  }

  if (dotted.starts_with("user.")) {
    if (has_ns(config_, NamespaceType::user))
      return allow(SysctlRule::user_namespace,
                   "user.* key, and the container has a user namespace");
    return refuse(SysctlRule::user_namespace,
                  "user.* key, but the container shares the host's user namespace",
                  "setting ucounts without a user namespace not allowed: " + std::string(key));
  }

  return refuse(SysctlRule::not_namespaced,
                "no namespace isolates this key: writing it would change the host",
                "sysctl " + q + " is not in a separate kernel namespace");
}

}  // namespace minirun::spec
