// drop_privileges: the user switch and the capability sets, in runc's order.
#include <fcntl.h>
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>
#include <vector>

#include "runtime/process/security.hpp"
#include "runtime/sys/fd.hpp"
#include "spec/tables.hpp"

namespace minirun::runtime {
namespace {

constexpr const char* kStep = "capabilities";

struct CapSets {
  std::vector<cap_value_t> bounding, effective, inheritable, permitted, ambient;
};

// Names the table does not know, and caps newer than the running kernel, are left out:
// runc does the same (with a warning) so one config works across kernels.
std::vector<cap_value_t> resolve(const std::vector<std::string>& names) {
  const int supported = static_cast<int>(cap_max_bits());
  std::vector<cap_value_t> out;
  for (const auto& name : names) {
    auto number = spec::capability_number(name);
    if (number && *number < supported) out.push_back(static_cast<cap_value_t>(*number));
  }
  return out;
}

CapSets resolve(const std::optional<spec::Capabilities>& caps) {
  if (!caps) return {};
  return CapSets{resolve(caps->bounding), resolve(caps->effective), resolve(caps->inheritable),
                 resolve(caps->permitted), resolve(caps->ambient)};
}

bool contains(const std::vector<cap_value_t>& set, cap_value_t cap) {
  return std::find(set.begin(), set.end(), cap) != set.end();
}

std::string cap_name(cap_value_t cap) {
  char* text = cap_to_name(cap);
  if (text == nullptr) return std::to_string(cap);
  std::string out = text;
  cap_free(text);
  std::transform(out.begin(), out.end(), out.begin(), ::toupper);
  return out;
}

sys::Status drop_bounding(const std::vector<cap_value_t>& keep) {
  const auto supported = static_cast<cap_value_t>(cap_max_bits());
  for (cap_value_t cap = 0; cap < supported; ++cap) {
    if (contains(keep, cap) || cap_drop_bound(cap) == 0) continue;
    // Without CAP_SETPCAP even a cap already gone fails to drop: that one is no error. Asked
    // only then, not for every cap (a prctl each, about 40 per start).
    const int err = errno;
    if (err == EPERM && cap_get_bound(cap) == 0) continue;
    return sys::Error{kStep, "drop " + cap_name(cap) + " from the bounding set", err};
  }
  return {};
}

sys::Status set_keepcaps(bool on) {
  if (prctl(PR_SET_KEEPCAPS, on ? 1 : 0, 0, 0, 0) < 0)
    return sys::Error::from_errno(kStep, on ? "set keep caps" : "clear keep caps");
  return {};
}

// An unprivileged user namespace writes "deny" here and setgroups(2) then fails; runc skips
// the call in that case rather than failing the container.
bool setgroups_allowed() {
  sys::Fd fd(open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC));
  if (!fd) return true;
  char buf[16] = {};
  ssize_t n = read(fd.get(), buf, sizeof(buf) - 1);
  if (n <= 0) return true;
  return std::string(buf, static_cast<size_t>(n)).rfind("deny", 0) != 0;
}

sys::Status switch_user(const spec::User& user) {
  std::vector<gid_t> groups(user.additionalGids.begin(), user.additionalGids.end());
  if (setgroups(groups.size(), groups.data()) < 0) {
    // Asked only on failure: outside such a user namespace the file is one read too many.
    const int err = errno;
    if (err != EPERM || setgroups_allowed())
      return sys::Error{"setgroups", "setgroups(additionalGids)", err};
  }
  // setgid/setuid, not setresgid/setresuid: the same with CAP_SETGID/CAP_SETUID, and the
  // calls runc makes here, after a seccomp filter (spec/post_filter_syscalls.hpp).
  if (setgid(user.gid) < 0) {
    if (errno == EINVAL)
      return sys::Error::plain("setgid", "cannot setgid to unmapped gid " +
                                             std::to_string(user.gid) + " in user namespace");
    return sys::Error::from_errno("setgid", "setgid " + std::to_string(user.gid));
  }
  if (setuid(user.uid) < 0) {
    if (errno == EINVAL)
      return sys::Error::plain("setuid", "cannot setuid to unmapped uid " +
                                             std::to_string(user.uid) + " in user namespace");
    return sys::Error::from_errno("setuid", "setuid " + std::to_string(user.uid));
  }
  return {};
}

sys::Status set_process_caps(const CapSets& sets) {
  cap_t caps = cap_init();  // all three sets empty
  if (caps == nullptr) return sys::Error::from_errno(kStep, "cap_init");
  auto raise = [&](cap_flag_t flag, const std::vector<cap_value_t>& values) {
    return values.empty() ||
           cap_set_flag(caps, flag, static_cast<int>(values.size()), values.data(), CAP_SET) == 0;
  };
  bool ok = raise(CAP_EFFECTIVE, sets.effective) && raise(CAP_PERMITTED, sets.permitted) &&
            raise(CAP_INHERITABLE, sets.inheritable);
  if (!ok) {
    sys::Error err = sys::Error::from_errno(kStep, "cap_set_flag");
    cap_free(caps);
    return err;
  }
  if (cap_set_proc(caps) < 0) {
    sys::Error err =
        sys::Error::from_errno(kStep, "cap_set_proc (effective/permitted/inheritable)");
    cap_free(caps);
    return err;
  }
  cap_free(caps);
  return {};
}

// runc clears the ambient set and raises each requested cap, only warning on failure
// (e.g. a cap missing from permitted or inheritable).
void set_ambient(const std::vector<cap_value_t>& ambient) {
  // One prctl; libcap's cap_reset_ambient() first reads every cap's ambient bit.
  (void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  for (cap_value_t cap : ambient) (void)cap_set_ambient(cap, CAP_SET);
}

}  // namespace

sys::Status drop_privileges(const spec::Process& process) {
  CapSets sets = resolve(process.capabilities);
  MR_TRY(drop_bounding(sets.bounding));
  MR_TRY(set_keepcaps(true));
  MR_TRY(switch_user(process.user));
  MR_TRY(set_keepcaps(false));
  MR_TRY(set_process_caps(sets));
  set_ambient(sets.ambient);
  return {};
}

}  // namespace minirun::runtime
