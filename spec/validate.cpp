// Cross-field rules. Each rule is one function that returns the first problem it sees; the
// rules run in a fixed order so the same config always gives the same message.
#include "spec/validate.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <span>
#include <tuple>

#include "spec/hook_kinds.hpp"
#include "spec/mount_options.hpp"
#include "spec/namespace_kinds.hpp"
#include "spec/process_env.hpp"
#include "spec/quote.hpp"
#include "spec/seccomp_names.hpp"
#include "spec/sysctl_policy.hpp"
#include "spec/tables.hpp"
#include "spec/text.hpp"

namespace minirun::spec {

namespace {

using Verdict = std::optional<ConfigError>;

Verdict broken(std::string pointer, std::string detail) {
  return ConfigError(std::move(pointer), std::move(detail));
}

std::string quoted(std::string_view s) {
  return go_quote(s);
}

template <typename KeyOrIndex>
std::string at(std::string_view base, const KeyOrIndex& child) {
  return json_pointer_child(base, child);
}

bool is_absolute(std::string_view path) {
  return !path.empty() && path.front() == '/';
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

template <size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

const Namespace* find_ns(const Config& c, NamespaceType type) {
  return c.linux ? c.linux->find_namespace(type) : nullptr;
}

bool has_ns(const Config& c, NamespaceType type) {
  return find_ns(c, type) != nullptr;
}

// ---- top level and process --------------------------------------------------------------------

Verdict check_basics(const Config& c, const HostFacts&) {
  if (!starts_with(c.ociVersion, "1."))
    return broken("/ociVersion", "unsupported ociVersion " + quoted(c.ociVersion));
  if (!c.root) return broken("/root", "missing required field");
  if (!c.process) return broken("/process", "missing required field");
  if (c.process->args.empty()) return broken("/process/args", "args must not be empty");
  if (!is_absolute(c.process->cwd)) return broken("/process/cwd", "cwd must be an absolute path");
  return {};
}

// runc refuses these in its init (populateProcessEnvironment); here nothing is made first.
Verdict check_env(const Config& c, const HostFacts&) {
  if (!c.process) return {};
  const auto& env = c.process->env;
  for (size_t i = 0; i < env.size(); ++i)
    if (auto bad = invalid_env_entry(env[i])) return broken(at("/process/env", i), *bad);
  return {};
}

// ---- namespaces -------------------------------------------------------------------------------

Verdict check_namespaces(const Config& c, const HostFacts&) {
  if (!c.linux) return {};
  std::set<NamespaceType> seen;
  for (size_t i = 0; i < c.linux->namespaces.size(); ++i) {
    const Namespace& ns = c.linux->namespaces[i];
    std::string ptr = at("/linux/namespaces", i);
    if (!seen.insert(ns.type).second)
      return broken(ptr, "duplicated namespace " + quoted(namespace_type_name(ns.type)));
    if (!ns.path.empty() && !is_absolute(ns.path))
      return broken(ptr + "/path", "namespace path must be an absolute path");
  }
  return {};
}

// ---- sysctls: the policy decides, validation reports the first refused key ----------------------

Verdict check_sysctls(const Config& c, const HostFacts& host) {
  if (!c.linux) return {};
  SysctlPolicy policy(c, host);
  for (const auto& [key, value] : c.linux->sysctl) {
    SysctlVerdict verdict = policy.judge(key);
    if (!verdict.allowed) return broken(at("/linux/sysctl", key), verdict.refusal);
  }
  return {};
}

// ---- namespace requirements of other fields ---------------------------------------------------

Verdict check_uts(const Config& c, const HostFacts&) {
  if (has_ns(c, NamespaceType::uts)) return {};
  if (!c.hostname.empty())
    return broken("/hostname", "unable to set hostname without a private UTS namespace");
  if (!c.domainname.empty())
    return broken("/domainname", "unable to set domainname without a private UTS namespace");
  return {};
}

Verdict check_restricted_paths(const Config& c, const HostFacts&) {
  if (!c.linux || has_ns(c, NamespaceType::mount)) return {};
  const char* field = !c.linux->maskedPaths.empty()     ? "/linux/maskedPaths"
                      : !c.linux->readonlyPaths.empty() ? "/linux/readonlyPaths"
                                                        : nullptr;
  if (field) return broken(field, "unable to restrict sys entries without a private MNT namespace");
  return {};
}

Verdict check_user_namespace(const Config& c, const HostFacts&) {
  if (!c.linux) return {};
  const Linux& l = *c.linux;
  const Namespace* user = l.find_namespace(NamespaceType::user);
  if (!user) {
    if (!l.uidMappings.empty())
      return broken("/linux/uidMappings",
                    "user namespace mappings specified, but user namespace isn't enabled");
    if (!l.gidMappings.empty())
      return broken("/linux/gidMappings",
                    "user namespace mappings specified, but user namespace isn't enabled");
    return {};
  }
  // A joined user namespace already has its mappings; a new one is useless without both.
  if (user->path.empty()) {
    if (l.uidMappings.empty())
      return broken("/linux/uidMappings", "user namespaces enabled, but no uid/gid mappings found");
    if (l.gidMappings.empty())
      return broken("/linux/gidMappings", "user namespaces enabled, but no uid/gid mappings found");
  }
  return {};
}

// The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace.
bool is_valid_netdev_name(std::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(),
                      [](unsigned char ch) { return ch == '/' || ch == ':' || std::isspace(ch); });
}

// A name with '%' is a template the kernel fills in ("eth%d" -> the first free eth<N>); it
// takes exactly one "%d" and nothing else after a '%' (net/core/dev.c, __dev_alloc_name).
bool is_valid_netdev_template(std::string_view name) {
  size_t pct = name.find('%');
  if (pct == std::string_view::npos) return true;
  return name.substr(pct, 2) == "%d" && name.find('%', pct + 2) == std::string_view::npos;
}

Verdict check_net_devices(const Config& c, const HostFacts&) {
  if (!c.linux || c.linux->netDevices.empty()) return {};
  if (!has_ns(c, NamespaceType::network))
    return broken("/linux/netDevices", "unable to move network devices without a NET namespace");
  std::map<std::string, std::string> target_of;  // target name -> the entry that takes it
  for (const auto& [host_name, device] : c.linux->netDevices) {
    std::string ptr = at("/linux/netDevices", host_name);
    if (!is_valid_netdev_name(host_name))
      return broken(ptr, "invalid network device name " + quoted(host_name));
    if (!device.name.empty() &&
        (!is_valid_netdev_name(device.name) || !is_valid_netdev_template(device.name)))
      return broken(ptr + "/name", "invalid network device name " + quoted(device.name));
    // Two devices cannot take one name in the container; a template gives each its own.
    const std::string& target = device.name.empty() ? host_name : device.name;
    if (target.find('%') != std::string::npos) continue;
    auto [it, fresh] = target_of.emplace(target, ptr);
    if (!fresh)
      return broken(device.name.empty() ? ptr : ptr + "/name",
                    "network device name " + quoted(target) + " is also the name " + it->second +
                        " takes in the container");
  }
  return {};
}

Verdict check_time_offsets(const Config& c, const HostFacts&) {
  if (!c.linux || c.linux->timeOffsets.empty()) return {};
  const Namespace* time = find_ns(c, NamespaceType::time);
  if (!time) return broken("/linux/timeOffsets", "time offsets specified, but no time namespace");
  // Offsets can only be written before the first process enters a new time namespace.
  if (!time->path.empty())
    return broken("/linux/timeOffsets",
                  "time offsets specified, but joining an existing time namespace");
  for (const auto& [clock, offset] : c.linux->timeOffsets) {
    if (clock != "monotonic" && clock != "boottime")
      return broken(at("/linux/timeOffsets", clock), "unknown clock " + quoted(clock));
  }
  return {};
}

// ---- process security ------------------------------------------------------------------------

Verdict check_capability_set(const std::vector<std::string>& names, std::string_view field) {
  std::string base = std::string("/process/capabilities/") + std::string(field);
  for (size_t i = 0; i < names.size(); ++i)
    if (!capability_number(names[i]))
      return broken(at(base, i), "unknown capability " + quoted(names[i]));
  return {};
}

Verdict check_capabilities(const Config& c, const HostFacts&) {
  if (!c.process || !c.process->capabilities) return {};
  const Capabilities& caps = *c.process->capabilities;
  for (auto [set, name] : {std::pair{&caps.bounding, "bounding"},
                           {&caps.effective, "effective"},
                           {&caps.inheritable, "inheritable"},
                           {&caps.permitted, "permitted"},
                           {&caps.ambient, "ambient"}})
    if (auto v = check_capability_set(*set, name)) return v;
  return {};
}

Verdict check_rlimits(const Config& c, const HostFacts&) {
  if (!c.process) return {};
  std::set<std::string> seen;
  for (size_t i = 0; i < c.process->rlimits.size(); ++i) {
    const Rlimit& r = c.process->rlimits[i];
    std::string ptr = at("/process/rlimits", i);
    if (!rlimit_number(r.type))
      return broken(ptr + "/type", "invalid rlimit type " + quoted(r.type));
    if (!seen.insert(r.type).second)
      return broken(ptr + "/type", "duplicate rlimit type " + quoted(r.type));
    if (r.soft > r.hard)
      return broken(ptr, "soft limit " + std::to_string(r.soft) + " exceeds hard limit " +
                             std::to_string(r.hard));
  }
  return {};
}

// ---- hooks, mounts, devices ------------------------------------------------------------------

// createContainer and startContainer hooks run in the container's mount namespace: their
// paths name files of a rootfs that is not set up yet. The others run on the host.
bool runs_on_host(HookKind kind) {
  return kind != HookKind::createContainer && kind != HookKind::startContainer;
}

Verdict check_hook_list(const std::vector<Hook>& hooks, const HookKindInfo& kind,
                        const HostFacts& host) {
  std::string base = "/hooks/" + std::string(kind.name);
  for (size_t i = 0; i < hooks.size(); ++i) {
    if (!is_absolute(hooks[i].path))
      return broken(at(base, i) + "/path", "hook path must be an absolute path");
    if (hooks[i].timeout && *hooks[i].timeout <= 0)
      return broken(at(base, i) + "/timeout", "timeout must be greater than zero");
    // A FIFO, a directory or a device can never run: say so before anything is created,
    // not once the container half exists (or, for poststop, never).
    if (runs_on_host(kind.kind) && host.file_mode)
      if (auto mode = host.file_mode(hooks[i].path); mode && !S_ISREG(*mode))
        return broken(at(base, i) + "/path", "hook path " + quoted(hooks[i].path) + " is " +
                                                 std::string(file_type_name(*mode)) +
                                                 ", not a regular file");
  }
  return {};
}

Verdict check_hooks(const Config& c, const HostFacts& host) {
  if (!c.hooks) return {};
  for (const auto& kind : hook_kinds())
    if (auto v = check_hook_list((*c.hooks).*kind.list, kind, host)) return v;
  return {};
}

Verdict check_mounts(const Config& c, const HostFacts&) {
  for (size_t i = 0; i < c.mounts.size(); ++i) {
    const Mount& m = c.mounts[i];
    std::string ptr = at("/mounts", i);
    if (m.destination.empty())
      return broken(ptr + "/destination", "mount destination must not be empty");
    if (is_bind_mount(m) && m.source.empty())
      return broken(ptr + "/source", "bind mount needs a source");
  }
  return {};
}

bool maps_id(const std::vector<IdMapping>& maps, uint64_t id) {
  return std::any_of(maps.begin(), maps.end(), [&](const IdMapping& m) {
    return id >= m.containerID && id - m.containerID < m.size;
  });
}

// A uid= or gid= mount option inside a new user namespace names an id of that namespace: one
// its mappings do not map is EINVAL from the kernel (runc refuses it for rootless containers).
Verdict check_mount_ids(const Linux& l, const Mount& m, const std::string& ptr) {
  for (size_t k = 0; k < m.options.size(); ++k) {
    const std::string& option = m.options[k];
    for (const auto& [kind, maps, field] :
         {std::tuple{"uid", &l.uidMappings, "/linux/uidMappings"},
          std::tuple{"gid", &l.gidMappings, "/linux/gidMappings"}}) {
      const std::string prefix = std::string(kind) + "=";
      if (!starts_with(option, prefix)) continue;
      auto id = to_u64(std::string_view(option).substr(prefix.size()));
      if (id && !maps_id(*maps, *id))
        return broken(at(ptr + "/options", k),
                      "cannot specify " + prefix + " mount options for unmapped " + kind +
                          " in a user namespace: " + field + " does not map " + kind + " " +
                          std::to_string(*id));
    }
  }
  return {};
}

// A new user namespace owns only the namespaces made with it: sysfs, proc and mqueue of a
// namespace shared with the runtime are refused by the kernel (EPERM) once init is in it.
Verdict check_mounts_in_user_namespace(const Config& c, const HostFacts&) {
  const Namespace* user = find_ns(c, NamespaceType::user);
  if (!user || !user->path.empty()) return {};
  for (size_t i = 0; i < c.mounts.size(); ++i) {
    const Mount& m = c.mounts[i];
    const std::string ptr = at("/mounts", i);
    if (auto bad = check_mount_ids(*c.linux, m, ptr)) return bad;
    auto shows = namespace_a_filesystem_shows(m.type);
    if (!shows || is_bind_mount(m) || has_ns(c, *shows)) continue;
    const std::string ns(namespace_type_name(*shows));
    return broken(ptr, "mount " + m.type + " on " + m.destination +
                           ": not permitted in a user namespace without its own " + ns +
                           " namespace (add " + quoted(ns) + " to /linux/namespaces, or " +
                           "bind-mount " + m.destination + " instead)");
  }
  return {};
}

Verdict check_devices(const Config& c, const HostFacts&) {
  if (!c.linux) return {};
  constexpr std::array<std::string_view, 4> kTypes{"c", "b", "u", "p"};
  for (size_t i = 0; i < c.linux->devices.size(); ++i) {
    const Device& d = c.linux->devices[i];
    std::string ptr = at("/linux/devices", i);
    if (!one_of(d.type, kTypes))
      return broken(ptr + "/type", "invalid device type " + quoted(d.type));
    if (!is_absolute(d.path)) return broken(ptr + "/path", "device path must be an absolute path");
  }
  return {};
}

// ---- seccomp ---------------------------------------------------------------------------------

bool known_name(std::string_view value, std::span<const SeccompName> table) {
  return seccomp_name_value(table, value).has_value();
}

Verdict check_each(const std::vector<std::string>& values, std::span<const SeccompName> table,
                   std::string_view base, std::string_view what) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!known_name(values[i], table))
      return broken(at(base, i), "unknown seccomp " + std::string(what) + " " + quoted(values[i]));
  return {};
}

Verdict check_seccomp(const Config& c, const HostFacts&) {
  if (!c.linux || !c.linux->seccomp) return {};
  const Seccomp& s = *c.linux->seccomp;
  const std::string base = "/linux/seccomp";
  if (!find_seccomp_action(s.defaultAction))
    return broken(base + "/defaultAction", "unknown seccomp action " + quoted(s.defaultAction));
  if (auto v = check_each(s.architectures, seccomp_architectures(), base + "/architectures",
                          "architecture"))
    return v;
  if (auto v = check_each(s.flags, seccomp_flags(), base + "/flags", "flag")) return v;
  for (size_t i = 0; i < s.syscalls.size(); ++i) {
    const SeccompSyscall& call = s.syscalls[i];
    std::string ptr = at(base + "/syscalls", i);
    if (!find_seccomp_action(call.action))
      return broken(ptr + "/action", "unknown seccomp action " + quoted(call.action));
    for (size_t j = 0; j < call.args.size(); ++j)
      if (!known_name(call.args[j].op, seccomp_operators()))
        return broken(at(ptr + "/args", j) + "/op",
                      "unknown seccomp operator " + quoted(call.args[j].op));
  }
  return {};
}

Verdict check_rootfs_propagation(const Config& c, const HostFacts&) {
  if (!c.linux) return {};
  constexpr std::array<std::string_view, 9> kModes{"",        "private",    "rprivate",
                                                   "slave",   "rslave",     "shared",
                                                   "rshared", "unbindable", "runbindable"};
  if (!one_of(c.linux->rootfsPropagation, kModes))
    return broken("/linux/rootfsPropagation",
                  "invalid rootfs propagation " + quoted(c.linux->rootfsPropagation));
  return {};
}

using Rule = Verdict (*)(const Config&, const HostFacts&);

constexpr Rule kRules[] = {check_basics,
                           check_env,
                           check_namespaces,
                           check_sysctls,
                           check_uts,
                           check_restricted_paths,
                           check_user_namespace,
                           check_net_devices,
                           check_time_offsets,
                           check_capabilities,
                           check_rlimits,
                           check_hooks,
                           check_mounts,
                           check_mounts_in_user_namespace,
                           check_devices,
                           check_seccomp,
                           check_rootfs_propagation};

}  // namespace

std::optional<ConfigError> validate_config(const Config& config, const HostFacts& host) {
  for (Rule rule : kRules)
    if (auto v = rule(config, host)) return v;
  return std::nullopt;
}

bool is_valid_container_id(std::string_view id) {
  if (id.empty() || id.size() > 1024 || id == "." || id == "..") return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char ch) {
    bool alnum = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    return alnum || ch == '_' || ch == '+' || ch == '.' || ch == '-';
  });
}

}  // namespace minirun::spec
