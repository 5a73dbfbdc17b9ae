#include "spec/features.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "spec/hook_kinds.hpp"
#include "spec/mount_options.hpp"
#include "spec/namespace_kinds.hpp"
#include "spec/seccomp_names.hpp"
#include "spec/tables.hpp"

namespace minirun::spec {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json strings(const std::vector<std::string_view>& list) {
  auto out = ordered_json::array();
  for (auto s : list) out.push_back(std::string(s));
  return out;
}

template <typename Table>
std::vector<std::string_view> names_of(const Table& table) {
  std::vector<std::string_view> out;
  for (const auto& entry : table) out.push_back(entry.name);
  return out;
}

ordered_json sorted_strings(std::vector<std::string_view> list) {
  std::sort(list.begin(), list.end());
  return strings(list);
}

ordered_json enabled(bool on) {
  return ordered_json{{"enabled", on}};
}

ordered_json seccomp_features(const FeaturesInput& input) {
  ordered_json s;
  s["enabled"] = true;
  // SCMP_ACT_NOTIFY is parsed but refused (no listener support yet), so it is not listed.
  std::vector<std::string_view> actions;
  for (const auto& a : seccomp_actions())
    if (a.supported) actions.push_back(a.name);
  s["actions"] = sorted_strings(actions);
  s["operators"] = sorted_strings(names_of(seccomp_operators()));
  s["archs"] = sorted_strings(names_of(seccomp_architectures()));
  s["knownFlags"] = strings(names_of(seccomp_flags()));
  s["supportedFlags"] = input.seccomp_supported_flags;
  return s;
}

ordered_json linux_features(const FeaturesInput& input) {
  ordered_json l;
  l["namespaces"] = sorted_strings(names_of(namespace_kinds()));
  l["capabilities"] = strings(capability_names());
  // No systemd manager: --systemd-cgroup is refused. linux.resources.rdma is written.
  l["cgroup"] = {
      {"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}, {"rdma", true}};
  l["seccomp"] = seccomp_features(input);
  // Each of these is refused when a config asks for it (spec/unsupported.hpp, idmapped mounts
  // in runtime/config_mounts).
  l["apparmor"] = enabled(false);
  l["selinux"] = enabled(false);
  l["intelRdt"] = enabled(false);
  l["mountExtensions"] = {{"idmap", enabled(false)}};
  // Moved, renamed and set up with their addresses kept (runtime/network/net_devices.hpp).
  l["netDevices"] = enabled(true);
  return l;
}

}  // namespace

std::string features_json(const FeaturesInput& input) {
  ordered_json f;
  f["ociVersionMin"] = "1.0.0";
  f["ociVersionMax"] = "1.3.0";
  f["hooks"] = ordered_json::array();
  for (const auto& kind : hook_kinds()) f["hooks"].push_back(std::string(kind.name));
  f["mountOptions"] = strings(known_mount_options());
  f["linux"] = linux_features(input);
  ordered_json annotations;
  annotations["io.github.seccomp.libseccomp.version"] = input.libseccomp_version;
  annotations["org.opencontainers.runc.checkpoint.enabled"] = "false";
  annotations["org.opencontainers.runtime.minirun.version"] = MINIRUN_VERSION;
  f["annotations"] = annotations;
  return f.dump(4);
}

}  // namespace minirun::spec
