#include "runtime/network/sysctl.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include "runtime/sys/fd.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/trace.hpp"
#include "runtime/sys/user_namespace.hpp"
#include "spec/parse.hpp"
#include "spec/sysctl_key.hpp"

namespace minirun::runtime {

namespace {

// A detached procfs of init's pid namespace (fsopen/fsmount); falls back to /proc, accepted
// only when fstatfs says it really is procfs.
sys::Result<sys::Fd> open_private_proc_sys() {
  sys::Fd fs(fsopen("proc", FSOPEN_CLOEXEC));
  if (fs) {
    if (fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0) {
      sys::Fd mnt(fsmount(fs.get(), FSMOUNT_CLOEXEC,
                          MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC));
      if (mnt) {
        sys::Fd dir(openat(mnt.get(), "sys", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
        if (!dir) return sys::Error::from_errno("sysctl", "open sys in private procfs");
        return dir;
      }
    }
  }
  sys::Fd dir(open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (!dir) return sys::Error::from_errno("sysctl", "open /proc/sys");
  struct statfs st {};
  if (fstatfs(dir.get(), &st) < 0) return sys::Error::from_errno("sysctl", "fstatfs /proc/sys");
  if (st.f_type != PROC_SUPER_MAGIC)
    return sys::Error::plain("sysctl", "/proc/sys is not on procfs");
  return dir;
}

}  // namespace

sys::Status write_sysctls(const std::map<std::string, std::string>& sysctls) {
  if (sysctls.empty()) return {};
  auto dir = open_private_proc_sys();
  if (!dir) return dir.error();
  for (const auto& [key, value] : sysctls) {
    std::string path = spec::sysctl_key_path(key);
    auto written = traced("sysctl", key + "=" + value + " -> /proc/sys/" + path, [&] {
      return sys::write_at(dir->get(), path, value, "sysctl", O_TRUNC | O_NOFOLLOW);
    });
    if (!written) {
      sys::Error error = written.error().within("sysctl", "write " + key + " = \"" + value + "\"");
      // A user namespace's root writes only the files its namespaces hand to it (net.* of its
      // own network namespace, the ipc ones); the others stay the host root's.
      if ((error.errnum == EACCES || error.errnum == EPERM) && sys::in_user_namespace())
        return error.within("", "config.json: " + spec::json_pointer_child("/linux/sysctl", key) +
                                    ": not permitted in a user namespace (/proc/sys/" + path +
                                    " stays the host root's)");
      return error;
    }
  }
  return {};
}

}  // namespace minirun::runtime
