#include "spec/explain.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "spec/namespace_kinds.hpp"
#include "spec/sysctl_key.hpp"
#include "spec/sysctl_policy.hpp"

namespace minirun::spec {

namespace {

constexpr NamespaceType kAllNamespaces[] = {
    NamespaceType::pid, NamespaceType::network, NamespaceType::mount,  NamespaceType::ipc,
    NamespaceType::uts, NamespaceType::user,    NamespaceType::cgroup, NamespaceType::time};

std::vector<NamespaceExplained> explain_namespaces(const Config& c) {
  std::vector<NamespaceExplained> out;
  // Listed ones first, in the config's order (the order the runtime acts in).
  if (c.linux)
    for (const Namespace& ns : c.linux->namespaces)
      out.push_back({std::string(namespace_type_name(ns.type)), ns.path.empty() ? "create" : "join",
                     ns.path});
  for (NamespaceType type : kAllNamespaces)
    if (!c.linux || !c.linux->find_namespace(type))
      out.push_back({std::string(namespace_type_name(type)), "host", ""});
  return out;
}

std::vector<SysctlExplained> explain_sysctls(const Config& c, const HostFacts& host) {
  std::vector<SysctlExplained> out;
  if (!c.linux) return out;
  SysctlPolicy policy(c, host);
  for (const auto& [key, value] : c.linux->sysctl) {
    SysctlVerdict v = policy.judge(key);
    out.push_back({key, value, "/proc/sys/" + sysctl_key_path(key), v.allowed,
                   std::string(sysctl_rule_name(v.rule)), v.reason, v.refusal});
  }
  return out;
}

std::optional<SeccompExplained> explain_seccomp(const Config& c) {
  if (!c.linux || !c.linux->seccomp) return std::nullopt;
  const Seccomp& s = *c.linux->seccomp;
  SeccompExplained out{s.defaultAction, s.syscalls.size(), 0, s.architectures, s.flags};
  for (const auto& call : s.syscalls) out.syscalls += call.names.size();
  return out;
}

std::string joined(const std::vector<std::string>& items, const char* separator = ",") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

void line(std::string& out, std::string text) {
  while (!text.empty() && text.back() == ' ') text.pop_back();
  out += text + "\n";
}

void list_section(std::string& out, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) {
    line(out, std::string(title) + ": none");
    return;
  }
  line(out, std::string(title) + ":");
  for (const auto& item : items) line(out, "  " + item);
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

Explanation explain_config(const Config& c, const HostFacts& host) {
  Explanation e;
  e.namespaces = explain_namespaces(c);
  e.sysctls = explain_sysctls(c, host);
  e.mounts = c.mounts;
  e.root = c.root;
  e.hostname = c.hostname;
  if (c.linux) {
    e.readonly_paths = c.linux->readonlyPaths;
    e.masked_paths = c.linux->maskedPaths;
    for (const auto& [host_name, device] : c.linux->netDevices) {
      NetDeviceExplained d;
      d.host_name = host_name;
      d.target = device.name.empty() ? host_name : device.name;
      e.net_devices.push_back(std::move(d));
    }
  }
  if (c.process) {
    e.capabilities = c.process->capabilities;
    e.no_new_privileges = c.process->noNewPrivileges;
    e.rlimits = c.process->rlimits;
    e.args = c.process->args;
  }
  e.seccomp = explain_seccomp(c);
  return e;
}

std::string explanation_to_text(const Explanation& e) {
  std::string out;
  line(out, "bundle: " + e.bundle);
  line(out, e.would_run ? "verdict: would run" : "verdict: refused: " + e.error);
  if (!e.args.empty()) line(out, "process: " + joined(e.args, " "));
  if (e.root)
    line(out, "root: " + e.root->path + (e.root->readonly ? " (read-only)" : " (read-write)"));
  if (!e.hostname.empty()) line(out, "hostname: " + e.hostname);

  line(out, "namespaces:");
  for (const auto& ns : e.namespaces) {
    std::string what = ns.action == "host" ? "shared with the host" : ns.action;
    line(out, "  " + pad(ns.type, 9) + what + (ns.path.empty() ? "" : " " + ns.path));
  }

  if (e.sysctls.empty()) {
    line(out, "sysctls: none");
  } else {
    line(out, "sysctls:");
    for (const auto& s : e.sysctls) {
      line(out, "  " + std::string(s.allowed ? "allowed " : "refused ") + s.key + " = " + s.value);
      line(out, "    rule " + s.rule + ": " + s.reason);
      if (s.allowed)
        line(out, "    written to " + s.file + " before /proc/sys turns read-only");
      else
        line(out, "    runc says: " + s.refusal);
    }
  }

  if (e.mounts.empty()) {
    line(out, "mounts: none");
  } else {
    line(out, "mounts:");
    for (const auto& m : e.mounts)
      line(out, "  " + pad(m.destination, 20) + pad(m.type.empty() ? "-" : m.type, 8) +
                    pad(m.source.empty() ? "-" : m.source, 10) + joined(m.options));
  }
  if (e.net_devices.empty()) {
    line(out, "network devices: none");
  } else {
    line(out, "network devices:");
    for (const auto& d : e.net_devices) {
      if (!d.found) {
        line(out, "  " + d.host_name + " -> " + d.target +
                      ": not in the runtime's network namespace, nothing would move");
        continue;
      }
      line(out, "  " + d.host_name + " -> " + d.target + " (" +
                    (d.kind.empty() ? "physical" : d.kind) + ", mtu " + std::to_string(d.mtu) +
                    (d.mac.empty() ? "" : ", mac " + d.mac) + ")");
      line(out, "    moved into the container's network namespace as " + d.target +
                    " in one request, MTU and MAC kept, then set up");
      line(out, "    addresses kept: " + (d.addresses.empty() ? "none" : joined(d.addresses, " ")));
      if (!d.not_carried.empty()) line(out, "    not carried: " + joined(d.not_carried, " "));
      line(out, "    when the namespace goes: " + d.fate);
    }
  }
  if (e.cgroups) {
    // What each driver means for the container, in a word a user can act on.
    static const std::map<std::string, std::string> kMeaning = {
        {"cgroupfs", "cgroupfs (made by minirun, removed at delete)"},
        {"delegated", "delegated (rootless, inside a cgroup2 subtree its user may write)"},
        {"none",
         "none (rootless, no delegated cgroup2 subtree: the container stays in its creator's "
         "cgroup; ps, pause, resume, update and events are unavailable)"}};
    auto meaning = kMeaning.find(e.cgroups->driver);
    line(out, "cgroups: " + (meaning == kMeaning.end() ? e.cgroups->driver : meaning->second));
    for (const auto& dir : e.cgroups->dirs) line(out, "  " + dir);
  }
  list_section(out, "read-only paths", e.readonly_paths);
  list_section(out, "masked paths", e.masked_paths);

  if (!e.capabilities) {
    line(out, "capabilities: none (all dropped)");
  } else {
    const Capabilities& c = *e.capabilities;
    line(out, "capabilities:");
    for (auto [name, set] : {std::pair{"bounding", &c.bounding},
                             {"effective", &c.effective},
                             {"inheritable", &c.inheritable},
                             {"permitted", &c.permitted},
                             {"ambient", &c.ambient}})
      line(out, "  " + pad(name, 12) + (set->empty() ? "-" : joined(*set)));
  }
  line(out, std::string("no_new_privileges: ") + (e.no_new_privileges ? "true" : "false"));

  if (!e.seccomp) {
    line(out, "seccomp: none");
  } else {
    const SeccompExplained& s = *e.seccomp;
    line(out, "seccomp: default " + s.default_action + ", " + std::to_string(s.rules) +
                  " rules naming " + std::to_string(s.syscalls) + " syscalls, architectures " +
                  (s.architectures.empty() ? "native" : joined(s.architectures)) +
                  (s.flags.empty() ? "" : ", flags " + joined(s.flags)));
  }

  if (e.rlimits.empty()) {
    line(out, "rlimits: none");
  } else {
    line(out, "rlimits:");
    for (const auto& r : e.rlimits)
      line(out, "  " + pad(r.type, 18) + "soft " + std::to_string(r.soft) + " hard " +
                    std::to_string(r.hard));
  }
  return out;
}

std::string explanation_to_json(const Explanation& e) {
  using json = nlohmann::ordered_json;
  json j;
  j["bundle"] = e.bundle;
  j["wouldRun"] = e.would_run;
  if (!e.would_run) j["error"] = e.error;
  j["args"] = e.args;
  j["root"] = e.root ? json{{"path", e.root->path}, {"readonly", e.root->readonly}} : json(nullptr);
  j["hostname"] = e.hostname;

  j["namespaces"] = json::array();
  for (const auto& ns : e.namespaces) {
    json n{{"type", ns.type}, {"action", ns.action}};
    if (!ns.path.empty()) n["path"] = ns.path;
    j["namespaces"].push_back(n);
  }

  j["sysctls"] = json::array();
  for (const auto& s : e.sysctls) {
    json item{{"key", s.key},         {"value", s.value}, {"file", s.file},
              {"allowed", s.allowed}, {"rule", s.rule},   {"reason", s.reason}};
    if (!s.allowed) item["message"] = s.refusal;
    j["sysctls"].push_back(item);
  }

  j["mounts"] = json::array();
  for (const auto& m : e.mounts)
    j["mounts"].push_back({{"destination", m.destination},
                           {"type", m.type},
                           {"source", m.source},
                           {"options", m.options}});
  j["netDevices"] = json::array();
  for (const auto& d : e.net_devices) {
    json item{{"hostName", d.host_name}, {"name", d.target}, {"found", d.found}};
    if (d.found) {
      item["kind"] = d.kind;
      item["mtu"] = d.mtu;
      item["mac"] = d.mac;
      item["addresses"] = d.addresses;
      item["notCarried"] = d.not_carried;
      item["whenNamespaceGoes"] = d.fate;
    }
    j["netDevices"].push_back(item);
  }
  j["cgroups"] =
      e.cgroups ? json{{"driver", e.cgroups->driver}, {"paths", e.cgroups->dirs}} : json(nullptr);
  j["readonlyPaths"] = e.readonly_paths;
  j["maskedPaths"] = e.masked_paths;

  if (e.capabilities) {
    const Capabilities& c = *e.capabilities;
    j["capabilities"] = {{"bounding", c.bounding},
                         {"effective", c.effective},
                         {"inheritable", c.inheritable},
                         {"permitted", c.permitted},
                         {"ambient", c.ambient}};
  } else {
    j["capabilities"] = nullptr;
  }
  j["noNewPrivileges"] = e.no_new_privileges;

  if (e.seccomp) {
    const SeccompExplained& s = *e.seccomp;
    j["seccomp"] = {{"defaultAction", s.default_action},
                    {"rules", s.rules},
                    {"syscalls", s.syscalls},
                    {"architectures", s.architectures},
                    {"flags", s.flags}};
  } else {
    j["seccomp"] = nullptr;
  }

  j["rlimits"] = json::array();
  for (const auto& r : e.rlimits)
    j["rlimits"].push_back({{"type", r.type}, {"soft", r.soft}, {"hard", r.hard}});
  // The bundle path is any bytes: U+FFFD for what is not UTF-8, as in state.json.
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace minirun::spec
