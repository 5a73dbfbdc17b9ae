#include "runtime/process/seccomp_probe.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "spec/seccomp_names.hpp"

namespace minirun::runtime {

namespace {

// The kernel checks the flags before it reads the program: EFAULT on a null program means
// the flag passed, EINVAL that it is unknown. Nothing is installed either way.
bool kernel_accepts(unsigned int flag) {
  long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, nullptr);
  return r < 0 && errno == EFAULT;
}

}  // namespace

std::string libseccomp_version() {
  const scmp_version* v = seccomp_version();
  if (v == nullptr) return "";
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro);
}

std::vector<std::string> seccomp_supported_flags() {
  std::vector<std::string> out;
  for (const auto& flag : spec::seccomp_flags())
    if (flag.supported && kernel_accepts(flag.value)) out.emplace_back(flag.name);
  return out;
}

}  // namespace minirun::runtime
