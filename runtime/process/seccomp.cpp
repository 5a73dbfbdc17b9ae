#include "runtime/process/seccomp.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/process/seccomp_enosys.hpp"
#include "runtime/sys/fd.hpp"
#include "spec/seccomp_names.hpp"

namespace minirun::runtime {
namespace {

constexpr const char* kStep = "seccomp";
constexpr unsigned kMaxSyscallArgs = 6;
// runc turns on libseccomp's binary-tree layout above this many rules; libseccomp <= 2.5.4
// misbehaves with it on an empty rule set, so small filters keep the linear layout.
constexpr size_t kBinaryTreeThreshold = 32;

sys::Error fail(std::string message, int errnum = 0) {
  return sys::Error{kStep, std::move(message), errnum};
}

// libseccomp reports failures as negative errno values.
sys::Error fail_rc(std::string message, int rc) {
  return fail(std::move(message), -rc);
}

class FilterContext {
 public:
  explicit FilterContext(uint32_t default_action) : ctx_(seccomp_init(default_action)) {}
  ~FilterContext() {
    if (ctx_ != nullptr) seccomp_release(ctx_);
  }
  FilterContext(const FilterContext&) = delete;
  FilterContext& operator=(const FilterContext&) = delete;
  scmp_filter_ctx get() const { return ctx_; }

 private:
  scmp_filter_ctx ctx_;
};

sys::Result<uint32_t> action_value(const std::string& name, std::optional<uint32_t> errno_ret) {
  const spec::SeccompAction* action = spec::find_seccomp_action(name);
  if (!action) return fail("invalid action " + name);
  if (!action->supported) return fail(name + " (listenerPath) is not supported yet");
  if (!action->takes_data) return action->value;
  return action->value | (errno_ret.value_or(EPERM) & 0xffffU);
}

sys::Result<uint32_t> arch_value(const std::string& name) {
  if (auto value = spec::seccomp_name_value(spec::seccomp_architectures(), name)) return *value;
  return fail("invalid architecture " + name);
}

sys::Result<scmp_compare> compare_op(const std::string& name) {
  if (auto value = spec::seccomp_name_value(spec::seccomp_operators(), name))
    return static_cast<scmp_compare>(*value);
  return fail("invalid operator " + name);
}

sys::Result<unsigned int> filter_flag(const std::string& name) {
  for (const auto& flag : spec::seccomp_flags()) {
    if (flag.name != name) continue;
    if (!flag.supported) return fail("seccomp flag " + name + " is not supported yet");
    return flag.value;
  }
  return fail("seccomp flag " + name + " is not known");
}

// The same value/valueTwo pair serves every operator: for MASKED_EQ libseccomp reads
// datum_a as the mask and datum_b as the value, which is what the spec says.
sys::Result<std::vector<scmp_arg_cmp>> conditions(const spec::SeccompSyscall& rule) {
  std::vector<scmp_arg_cmp> out;
  for (const auto& arg : rule.args) {
    if (arg.index >= kMaxSyscallArgs)
      return fail("argument index " + std::to_string(arg.index) + " out of range");
    auto op = compare_op(arg.op);
    if (!op) return op.error();
    out.push_back(scmp_arg_cmp{arg.index, *op, arg.value, arg.valueTwo});
  }
  return out;
}

bool shares_an_index(const std::vector<scmp_arg_cmp>& conds) {
  unsigned counts[kMaxSyscallArgs] = {};
  for (const auto& c : conds)
    if (++counts[c.arg] > 1) return true;
  return false;
}

sys::Status add_rule(scmp_filter_ctx ctx, const spec::SeccompSyscall& rule, uint32_t action,
                     uint32_t default_action) {
  // libseccomp refuses a rule that repeats the default action; runc drops it silently.
  if (action == default_action) return {};
  auto conds = conditions(rule);
  if (!conds) return conds.error();
  bool separate = shares_an_index(*conds);
  for (const auto& name : rule.names) {
    if (name.empty()) return fail("empty string is not a valid syscall");
    int nr = seccomp_syscall_resolve_name(name.c_str());
    // Not known to this libseccomp: likely newer than it or absent on this arch (runc skips).
    if (nr == __NR_SCMP_ERROR) continue;
    int rc = 0;
    if (conds->empty()) {
      rc = seccomp_rule_add(ctx, action, nr, 0);
    } else if (separate) {
      for (const auto& c : *conds)
        if ((rc = seccomp_rule_add_array(ctx, action, nr, 1, &c)) < 0) break;
    } else {
      rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(conds->size()),
                                  conds->data());
    }
    if (rc < 0) return fail_rc("adding rule for syscall " + name, rc);
  }
  return {};
}

// libseccomp 2.5.4 can only export into an fd; a memfd keeps it off the filesystem.
sys::Result<std::vector<sock_filter>> export_bpf(scmp_filter_ctx ctx) {
  sys::Fd fd(memfd_create("minirun-seccomp", MFD_CLOEXEC));
  if (!fd) return sys::Error::from_errno(kStep, "memfd_create");
  if (int rc = seccomp_export_bpf(ctx, fd.get()); rc < 0) return fail_rc("export BPF", rc);
  struct stat st {};
  if (fstat(fd.get(), &st) < 0) return sys::Error::from_errno(kStep, "fstat BPF memfd");
  auto size = static_cast<size_t>(st.st_size);
  if (size == 0 || size % sizeof(sock_filter) != 0)
    return fail("exported BPF has odd size " + std::to_string(size));
  std::vector<sock_filter> filter(size / sizeof(sock_filter));
  auto* bytes = reinterpret_cast<char*>(filter.data());
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd.get(), bytes + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::Error::from_errno(kStep, "read BPF memfd");
    if (n == 0) return fail("short read of exported BPF");
    done += static_cast<size_t>(n);
  }
  return filter;
}

// The last syscall the profile names on each architecture of the filter, for the ENOSYS stub
// (seccomp_enosys.hpp); empty when the stub has nothing to do, as runc decides: the default
// action allows, or answers ENOSYS already.
std::vector<LastSyscall> last_syscalls(const spec::Seccomp& sc, uint32_t default_action) {
  if (default_action == SCMP_ACT_ALLOW || default_action == SCMP_ACT_LOG ||
      default_action == SCMP_ACT_ERRNO(ENOSYS))
    return {};
  std::vector<uint32_t> tokens{seccomp_arch_native()};
  for (const auto& arch : sc.architectures)
    if (auto token = arch_value(arch); token && *token != tokens[0]) tokens.push_back(*token);
  std::vector<LastSyscall> out;
  for (uint32_t token : tokens) {
    const bool x32 = token == SCMP_ARCH_X32;
    int last = -1;
    for (const auto& rule : sc.syscalls)
      for (const auto& name : rule.names)
        last = std::max(last, seccomp_syscall_resolve_name_arch(token, name.c_str()));
    if (last < 0) continue;
    uint32_t nr = static_cast<uint32_t>(last);
    out.push_back({x32 ? AUDIT_ARCH_X86_64 : token, x32 ? (nr | 0x40000000U) : nr, x32});
  }
  return out;
}

}  // namespace

sys::Result<std::optional<SeccompProgram>> compile_seccomp(
    const std::optional<spec::Seccomp>& config) {
  if (!config) return std::optional<SeccompProgram>{};
  const spec::Seccomp& sc = *config;

  auto default_action = action_value(sc.defaultAction, sc.defaultErrnoRet);
  if (!default_action) return default_action.error();
  for (const auto& rule : sc.syscalls)
    if (rule.action == "SCMP_ACT_NOTIFY")
      return fail("SCMP_ACT_NOTIFY (listenerPath) is not supported yet");

  SeccompProgram program;
  for (const auto& flag : sc.flags) {
    auto bit = filter_flag(flag);
    if (!bit) return bit.error();
    program.flags |= *bit;
  }

  FilterContext ctx(*default_action);
  if (ctx.get() == nullptr) return fail("seccomp_init failed");
  // We set no_new_privs ourselves, and only when the config asks for it.
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0); rc < 0)
    return fail_rc("clearing SCMP_FLTATR_CTL_NNP", rc);

  for (const auto& arch : sc.architectures) {
    auto token = arch_value(arch);
    if (!token) return token.error();
    int rc = seccomp_arch_add(ctx.get(), *token);
    // The native architecture is in the filter from seccomp_init.
    if (rc < 0 && rc != -EEXIST) return fail_rc("adding architecture " + arch, rc);
  }

  size_t rule_count = 0;
  for (const auto& rule : sc.syscalls) rule_count += rule.names.size();
  // Optional speed-up; an older libseccomp without it still gives a correct filter.
  if (rule_count > kBinaryTreeThreshold)
    (void)seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);

  for (const auto& rule : sc.syscalls) {
    auto action = action_value(rule.action, rule.errnoRet);
    if (!action) return action.error();
    MR_TRY(add_rule(ctx.get(), rule, *action, *default_action));
  }

  auto filter = export_bpf(ctx.get());
  if (!filter) return filter.error();
  program.filter = enosys_stub(last_syscalls(sc, *default_action));
  program.filter.insert(program.filter.end(), filter->begin(), filter->end());
  return std::optional<SeccompProgram>(std::move(program));
}

sys::Status install_seccomp(const SeccompProgram& program) {
  if (program.filter.empty() || program.filter.size() > BPF_MAXINSNS)
    return fail("filter has " + std::to_string(program.filter.size()) + " instructions");
  sock_fprog prog{};
  prog.len = static_cast<unsigned short>(program.filter.size());
  prog.filter = const_cast<sock_filter*>(program.filter.data());
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program.flags, &prog);
  if (rc < 0) return sys::Error::from_errno(kStep, "seccomp(SECCOMP_SET_MODE_FILTER)");
  // With TSYNC a positive value names a thread that could not be synchronised.
  if (rc > 0) return fail("TSYNC failed for thread " + std::to_string(rc));
  return {};
}

}  // namespace minirun::runtime
