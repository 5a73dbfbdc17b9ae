#include "spec/features.hpp"

#include <nlohmann/json.hpp>

#include "spec/hook_kinds.hpp"
#include "spec/tables.hpp"

namespace minirun::spec {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json strings(const std::vector<std::string_view>& list) {
  auto out = ordered_json::array();
  for (auto s : list) out.push_back(std::string(s));
  return out;
}

ordered_json enabled(bool on) {
  return ordered_json{{"enabled", on}};
}

ordered_json seccomp_features(const FeaturesInput& input) {
  ordered_json s;
  s["enabled"] = true;
  // SCMP_ACT_NOTIFY is parsed but refused (no listener support yet), so it is not listed.
  s["actions"] =
      strings({"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
               "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"});
  s["operators"] = strings({"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
                            "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"});
  s["archs"] =
      strings({"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
               "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
               "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_PPC",
               "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390",
               "SCMP_ARCH_S390X", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64"});
  s["knownFlags"] = strings(known_seccomp_flags());
  s["supportedFlags"] = input.seccomp_supported_flags;
  return s;
}

ordered_json linux_features(const FeaturesInput& input) {
  ordered_json l;
  l["namespaces"] = strings({"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"});
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
  l["netDevices"] = enabled(false);
  return l;
}

}  // namespace

const std::vector<std::string_view>& known_mount_options() {
  static const std::vector<std::string_view> options = {
      "async",     "atime",        "bind",          "defaults",    "dev",         "diratime",
      "dirsync",   "exec",         "iversion",      "lazytime",    "loud",        "mand",
      "noatime",   "nodev",        "nodiratime",    "noexec",      "noiversion",  "nolazytime",
      "nomand",    "norelatime",   "nostrictatime", "nosuid",      "nosymfollow", "private",
      "rbind",     "rdev",         "rdiratime",     "relatime",    "remount",     "rexec",
      "rnoatime",  "rnodev",       "rnodiratime",   "rnoexec",     "rnosuid",     "rnosymfollow",
      "ro",        "rprivate",     "rrelatime",     "rro",         "rrw",         "rshared",
      "rslave",    "rstrictatime", "rsuid",         "runbindable", "rw",          "shared",
      "silent",    "slave",        "strictatime",   "suid",        "symfollow",   "sync",
      "tmpcopyup", "unbindable"};
  return options;
}

const std::vector<std::string_view>& known_seccomp_flags() {
  static const std::vector<std::string_view> flags = {
      "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG"};
  return flags;
}

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
