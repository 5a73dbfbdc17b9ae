#include "runtime/process/security.hpp"

#include <fcntl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/sys/fd.hpp"
#include "runtime/sys/file.hpp"
#include "spec/tables.hpp"

namespace minirun::runtime {
namespace {

constexpr mode_t kDefaultUmask = 0022;

// <linux/ioprio.h> is not in every libc's header set; the ABI values are fixed.
constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassShift = 13;

// struct sched_attr from <linux/sched/types.h>, declared here because that header clashes
// with glibc's <sched.h> on some versions. Sizes are the kernel's SCHED_ATTR_SIZE_VER0/1.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};
constexpr uint32_t kSchedAttrSizeVer0 = 48;
constexpr uint32_t kSchedAttrSizeVer1 = 56;
static_assert(sizeof(SchedAttr) == kSchedAttrSizeVer1);
constexpr uint64_t kSchedFlagUtilClamp = 0x20 | 0x40;

template <class T>
std::optional<T> lookup(const std::pair<std::string_view, T>* table, size_t n,
                        std::string_view name) {
  for (size_t i = 0; i < n; ++i)
    if (table[i].first == name) return table[i].second;
  return std::nullopt;
}

std::optional<uint32_t> sched_policy(std::string_view name) {
  static const std::pair<std::string_view, uint32_t> kPolicies[] = {
      {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},      {"SCHED_BATCH", 3},
      {"SCHED_ISO", 4},   {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6}};
  return lookup(kPolicies, std::size(kPolicies), name);
}

std::optional<uint64_t> sched_flag(std::string_view name) {
  static const std::pair<std::string_view, uint64_t> kFlags[] = {
      {"SCHED_FLAG_RESET_ON_FORK", 0x01}, {"SCHED_FLAG_RECLAIM", 0x02},
      {"SCHED_FLAG_DL_OVERRUN", 0x04},    {"SCHED_FLAG_KEEP_POLICY", 0x08},
      {"SCHED_FLAG_KEEP_PARAMS", 0x10},   {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
      {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40}};
  return lookup(kFlags, std::size(kFlags), name);
}

std::optional<int> ioprio_class(std::string_view name) {
  static const std::pair<std::string_view, int> kClasses[] = {
      {"IOPRIO_CLASS_RT", 1}, {"IOPRIO_CLASS_BE", 2}, {"IOPRIO_CLASS_IDLE", 3}};
  return lookup(kClasses, std::size(kClasses), name);
}

sys::Status apply_scheduler(const spec::Scheduler& sched) {
  auto policy = sched_policy(sched.policy);
  if (!policy) return sys::Error::plain("scheduler", "unknown policy " + sched.policy);
  SchedAttr attr{};
  attr.sched_policy = *policy;
  for (const auto& name : sched.flags) {
    auto bit = sched_flag(name);
    if (!bit) return sys::Error::plain("scheduler", "unknown flag " + name);
    attr.sched_flags |= *bit;
  }
  // The older, shorter layout works on more kernels; util clamps need the longer one.
  attr.size = (attr.sched_flags & kSchedFlagUtilClamp) ? kSchedAttrSizeVer1 : kSchedAttrSizeVer0;
  attr.sched_nice = sched.nice;
  attr.sched_priority = static_cast<uint32_t>(sched.priority);
  attr.sched_runtime = sched.runtime;
  attr.sched_deadline = sched.deadline;
  attr.sched_period = sched.period;
  if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0) {
    sys::Error error = sys::Error::from_errno("scheduler", "sched_setattr " + sched.policy);
    if (error.errnum != EPERM) return error;
    return error.within("scheduler",
                        "process.scheduler: a real-time or deadline policy, or a "
                        "lower nice, takes CAP_SYS_NICE on the host or an "
                        "RLIMIT_RTPRIO/RLIMIT_NICE that allows it");
  }
  return {};
}

sys::Status apply_io_priority(const spec::IoPriority& io) {
  auto cls = ioprio_class(io.ioprioClass);
  if (!cls) return sys::Error::plain("ioprio", "unknown class " + io.ioprioClass);
  int value = (*cls << kIoprioClassShift) | io.priority;
  if (syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, value) < 0) {
    sys::Error error = sys::Error::from_errno(
        "ioprio", "ioprio_set " + io.ioprioClass + " priority " + std::to_string(io.priority));
    if (error.errnum != EPERM) return error;
    return error.within("ioprio",
                        "process.ioPriority: the real-time class takes CAP_SYS_NICE "
                        "or CAP_SYS_ADMIN on the host");
  }
  return {};
}

sys::Status apply_personality(const spec::Personality& p) {
  unsigned long domain = 0;
  if (p.domain == "LINUX")
    domain = PER_LINUX;
  else if (p.domain == "LINUX32")
    domain = PER_LINUX32;
  else
    return sys::Error::plain("personality", "unknown domain " + p.domain);
  if (::personality(domain) < 0)
    return sys::Error::from_errno("personality", "personality " + p.domain);
  return {};
}

}  // namespace

sys::Status apply_rlimits(const std::vector<spec::Rlimit>& rlimits, pid_t pid) {
  for (const auto& rl : rlimits) {
    auto resource = spec::rlimit_number(rl.type);
    if (!resource) return sys::Error::plain("rlimits", "unknown rlimit type " + rl.type);
    struct rlimit limit {};
    limit.rlim_cur = rl.soft;
    limit.rlim_max = rl.hard;
    if (prlimit(pid, static_cast<__rlimit_resource>(*resource), &limit, nullptr) < 0) {
      std::string what = pid == 0 ? "setrlimit " : "prlimit pid " + std::to_string(pid) + " ";
      sys::Error error =
          sys::Error::from_errno("rlimits", what + rl.type + " (soft " + std::to_string(rl.soft) +
                                                ", hard " + std::to_string(rl.hard) + ")");
      struct rlimit now {};
      if (error.errnum != EPERM ||
          prlimit(pid, static_cast<__rlimit_resource>(*resource), nullptr, &now) < 0 ||
          rl.hard <= now.rlim_max)
        return error;
      return error.within("rlimits", "process.rlimits " + rl.type + ": hard limit " +
                                         std::to_string(rl.hard) + " is above the current " +
                                         std::to_string(now.rlim_max) +
                                         ", and raising one takes CAP_SYS_RESOURCE on the host");
    }
  }
  return {};
}

sys::Status set_no_new_privs() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return sys::Error::from_errno("no_new_privs", "prctl(PR_SET_NO_NEW_PRIVS)");
  return {};
}

sys::Status set_oom_score_adj(pid_t pid, int score) {
  const std::string path = "/proc/" + std::to_string(pid) + "/oom_score_adj";
  auto written = sys::write_file(path, std::to_string(score), "oom_score_adj");
  if (!written && (written.error().errnum == EACCES || written.error().errnum == EPERM))
    return written.error().within(
        "oom_score_adj", "process.oomScoreAdj " + std::to_string(score) +
                             ": lowering it takes CAP_SYS_RESOURCE on the host, which this "
                             "process lacks");
  return written;
}

sys::Status apply_process_attributes(const spec::Process& process,
                                     const std::optional<spec::Personality>& personality) {
  if (process.scheduler) MR_TRY(apply_scheduler(*process.scheduler));
  if (process.ioPriority) MR_TRY(apply_io_priority(*process.ioPriority));
  if (personality) MR_TRY(apply_personality(*personality));
  umask(process.user.umask ? static_cast<mode_t>(*process.user.umask) : kDefaultUmask);
  return {};
}

sys::Status enter_cwd(const std::string& cwd) {
  if (chdir(cwd.c_str()) < 0) return sys::Error::from_errno("cwd", "chdir " + cwd);
  char buf[PATH_MAX];
  long n = syscall(SYS_getcwd, buf, sizeof buf);
  if (n < 0 && errno != ENOENT)
    return sys::Error::from_errno("cwd", "verify the working directory " + cwd);
  if (n < 0 || buf[0] != '/')
    return sys::Error::plain("cwd",
                             "current working directory is outside of container mount namespace "
                             "root -- possible container breakout detected");
  return {};
}

}  // namespace minirun::runtime
