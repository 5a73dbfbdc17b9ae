#include "runtime/process/exe_seal.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/sys/fd.hpp"

extern char** environ;

namespace minirun::runtime {

namespace {

constexpr const char* kSelf = "/proc/self/exe";

// A bind mount of our own binary that belongs to no mount namespace, read-only.
sys::Fd detached_readonly_self() {
  sys::Fd tree(static_cast<int>(
      syscall(SYS_open_tree, AT_FDCWD, kSelf, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
  if (!tree) return tree;
  struct mount_attr attr {};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  if (syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
    return sys::Fd();
  return tree;
}

sys::Result<sys::Fd> sealed_memfd_copy() {
  sys::Fd self(open(kSelf, O_RDONLY | O_CLOEXEC));
  if (!self) return sys::Error::from_errno("seal", std::string("open ") + kSelf);
  struct stat st {};
  if (fstat(self.get(), &st) < 0) return sys::Error::from_errno("seal", "fstat the binary");
  sys::Fd copy(memfd_create("minirun", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!copy) return sys::Error::from_errno("seal", "memfd_create");
  off_t offset = 0;
  while (offset < st.st_size) {
    ssize_t n = sendfile(copy.get(), self.get(), &offset, static_cast<size_t>(st.st_size - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys::Error::from_errno("seal", "copy the binary into a memfd");
  }
  if (fcntl(copy.get(), F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
    return sys::Error::from_errno("seal", "seal the memfd copy");
  return copy;
}

// The running binary is out of a container's reach already: on a read-only mount (ours, or
// the admin's install) or a memfd sealed against writes.
bool runs_sealed() {
  sys::Fd self(open(kSelf, O_RDONLY | O_CLOEXEC));
  if (!self) return false;
  struct statfs fs {};
  if (fstatfs(self.get(), &fs) == 0 && (fs.f_flags & ST_RDONLY)) return true;
  int seals = fcntl(self.get(), F_GET_SEALS);
  return seals >= 0 && (seals & F_SEAL_WRITE);
}

}  // namespace

sys::Status reexec_sealed(char* const argv[]) {
  if (runs_sealed()) return {};
  sys::Fd target = detached_readonly_self();
  if (!target) {
    auto copy = sealed_memfd_copy();
    if (!copy) return copy.error();
    target = std::move(*copy);
  }
  syscall(SYS_execveat, target.get(), "", argv, environ, AT_EMPTY_PATH);
  return sys::Error::from_errno("seal", "re-execute minirun from its sealed copy");
}

}  // namespace minirun::runtime
