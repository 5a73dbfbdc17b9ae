#include "spec/unsupported.hpp"

#include "spec/quote.hpp"

namespace minirun::spec {

namespace {

using Verdict = std::optional<ConfigError>;

Verdict refused(std::string pointer, std::string detail) {
  return ConfigError(std::move(pointer), std::move(detail));
}

}  // namespace

std::optional<ConfigError> unsupported_in_resources(const Resources& r, const std::string& base) {
  // cgroup v1's memory.use_hierarchy is always 1 on current kernels (writing 0 fails with
  // EINVAL); cgroup v2 has no flat mode at all.
  if (r.memory && r.memory->useHierarchy && !*r.memory->useHierarchy)
    return refused(base + "/memory/useHierarchy",
                   "useHierarchy false is not supported: the kernel always accounts memory "
                   "hierarchically");
  return {};
}

std::string apparmor_unsupported(const std::string& profile) {
  return "apparmor profile " + go_quote(profile) +
         " is specified, but minirun does not support AppArmor";
}

std::optional<ConfigError> unsupported_in_process(const Process& p, const std::string& base) {
  if (!p.apparmorProfile.empty())
    return refused(base + "/apparmorProfile", apparmor_unsupported(p.apparmorProfile));
  if (!p.selinuxLabel.empty()) return refused(base + "/selinuxLabel", kSelinuxUnsupported);
  if (!p.commandLine.empty())
    return refused(base + "/commandLine",
                   "commandLine is for Windows only; on Linux the command is process.args");
  if (!p.user.username.empty())
    return refused(base + "/user/username",
                   "username is for Windows only; on Linux the user is process.user.uid and gid");
  if (p.execCPUAffinity)
    return refused(base + "/execCPUAffinity", "execCPUAffinity is not supported by minirun");
  return {};
}

std::optional<ConfigError> unsupported_in_config(const Config& c) {
  if (c.process)
    if (auto v = unsupported_in_process(*c.process, "/process")) return v;
  if (!c.linux) return {};
  const Linux& l = *c.linux;
  if (!l.mountLabel.empty())
    return refused("/linux/mountLabel",
                   "mountLabel is specified, but minirun does not support SELinux labels");
  if (l.intelRdt) return refused("/linux/intelRdt", "Intel RDT is not supported by minirun");
  if (l.memoryPolicy)
    return refused("/linux/memoryPolicy", "memoryPolicy is not supported by minirun");
  if (l.resources) return unsupported_in_resources(*l.resources, "/linux/resources");
  return {};
}

}  // namespace minirun::spec
