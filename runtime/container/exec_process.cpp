// build_exec_process: runc's getProcess + validateProcessSpec, and the container fallbacks of
// its newInitConfig.
#include <algorithm>
#include <charconv>

#include "runtime/container/exec.hpp"
#include "spec/parse.hpp"
#include "spec/process_env.hpp"
#include "spec/unsupported.hpp"

namespace minirun::runtime {

namespace {

sys::Error usage(const std::string& message) {
  return sys::Error::plain("", message);
}

sys::Result<uint32_t> parse_id(const std::string& text, const std::string& what) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return usage("parsing " + text + " as int for " + what + " failed");
  return value;
}

sys::Error process_file_error(const std::string& path, const spec::ConfigError& e) {
  std::string where = e.pointer().empty() ? "" : e.pointer() + ": ";
  return usage("process " + path + ": " + where + e.detail());
}

sys::Result<spec::Process> read_process_file(const std::string& path) {
  std::string text;
  try {
    text = spec::read_bundle_file(path);  // a FIFO or a device is refused, not waited on
  } catch (const spec::ConfigError& e) {
    return usage("process file: " + e.detail());
  }
  try {
    auto process = spec::parse_process(text);
    if (auto unsupported = spec::unsupported_in_process(process, ""))
      return process_file_error(path, *unsupported);
    return process;
  } catch (const spec::ConfigError& e) {
    return process_file_error(path, e);
  }
}

// --process-label and --apparmor: refused like the process fields they stand for.
sys::Status refuse_security_labels(const ExecOptions& o) {
  if (!o.process_label.empty()) return usage(spec::kSelinuxUnsupported);
  if (!o.apparmor.empty()) return usage(spec::apparmor_unsupported(o.apparmor));
  return {};
}

// runc 1.1's --cap (since the CVE-2022-29162 fix): bounding, effective and permitted, never
// inheritable; runc also lists it as ambient when the process has inheritable caps, which the
// kernel grants only for a cap already inheritable, so that is the condition here.
void add_capability(spec::Process& p, const std::string& cap) {
  if (!p.capabilities) p.capabilities.emplace();
  auto& c = *p.capabilities;
  for (auto* set : {&c.bounding, &c.effective, &c.permitted}) set->push_back(cap);
  if (std::find(c.inheritable.begin(), c.inheritable.end(), cap) != c.inheritable.end())
    c.ambient.push_back(cap);
}

sys::Status apply_flags(const ExecOptions& o, spec::Process& p) {
  p.args = o.args;
  if (!o.cwd.empty()) p.cwd = o.cwd;
  for (const auto& cap : o.caps) add_capability(p, cap);
  p.env.insert(p.env.end(), o.env.begin(), o.env.end());
  p.terminal = o.tty;
  if (o.no_new_privs) p.noNewPrivileges = true;
  if (!o.user.empty()) {
    auto colon = o.user.find(':');
    if (colon != std::string::npos) {
      auto gid = parse_id(o.user.substr(colon + 1), "gid");
      if (!gid) return gid.error();
      p.user.gid = *gid;
    }
    auto uid = parse_id(o.user.substr(0, colon), "uid");
    if (!uid) return uid.error();
    p.user.uid = *uid;
  }
  p.user.additionalGids.insert(p.user.additionalGids.end(), o.additional_gids.begin(),
                               o.additional_gids.end());
  return {};
}

// runc's validateProcessSpec.
sys::Status validate(const spec::Process& p) {
  if (p.cwd.empty()) return usage("Cwd property must not be empty");
  if (p.cwd[0] != '/') return usage("Cwd must be an absolute path");
  if (p.args.empty()) return usage("args must not be empty");
  for (const auto& entry : p.env)
    if (auto bad = spec::invalid_env_entry(entry)) return usage(*bad);
  return {};
}

}  // namespace

sys::Result<spec::Process> build_exec_process(const ExecOptions& options,
                                              const spec::Config& config) {
  MR_TRY(refuse_security_labels(options));
  const spec::Process base = config.process.value_or(spec::Process{});
  spec::Process p;
  if (!options.process_file.empty()) {
    auto file = read_process_file(options.process_file);
    if (!file) return file.error();
    p = std::move(*file);
    if (!p.capabilities) p.capabilities = base.capabilities;
    if (p.rlimits.empty()) p.rlimits = base.rlimits;
    if (!p.scheduler) p.scheduler = base.scheduler;
    if (!p.ioPriority) p.ioPriority = base.ioPriority;
    if (!p.oomScoreAdj) p.oomScoreAdj = base.oomScoreAdj;
  } else {
    p = base;
    MR_TRY(apply_flags(options, p));
  }
  MR_TRY(validate(p));
  return p;
}

}  // namespace minirun::runtime
