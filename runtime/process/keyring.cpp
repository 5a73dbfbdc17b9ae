#include "runtime/process/keyring.hpp"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace minirun::runtime {

namespace {

constexpr unsigned kUserSearch = 0x00080000;   // KEY_USR_SEARCH
constexpr unsigned kOtherSearch = 0x00000008;  // KEY_OTH_SEARCH

// KEYCTL_DESCRIBE gives "type;uid;gid;perm;description", perm in hex.
sys::Result<unsigned> key_permissions(long key) {
  char buf[512];
  long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, key, buf, sizeof buf - 1);
  if (n < 0) return sys::Error::from_errno("keyring", "describe session keyring");
  buf[std::min<long>(n, sizeof buf - 1)] = '\0';
  std::string text(buf);
  size_t field = 0;
  for (int i = 0; i < 3 && field != std::string::npos; ++i) field = text.find(';', field + 1);
  if (field == std::string::npos) return sys::Error::plain("keyring", "unexpected key description");
  return static_cast<unsigned>(std::strtoul(text.c_str() + field + 1, nullptr, 16));
}

}  // namespace

sys::Status join_session_keyring(const std::string& container_id, bool in_new_user_namespace) {
  std::string name = "_ses." + container_id;
  long key = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.c_str());
  if (key < 0) {
    if (errno == ENOSYS) return {};
    return sys::Error::from_errno("keyring", "unable to join session keyring");
  }
  auto perm = key_permissions(key);
  if (!perm) return perm.error();
  unsigned wanted = *perm | (in_new_user_namespace ? kOtherSearch : kUserSearch);
  if (syscall(SYS_keyctl, KEYCTL_SETPERM, key, wanted) < 0)
    return sys::Error::from_errno("keyring", "unable to mod keyring permissions");
  return {};
}

}  // namespace minirun::runtime
