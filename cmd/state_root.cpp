#include "cmd/state_root.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "runtime/sys/file.hpp"

namespace minirun::cmd {

bool rootless_for(const std::string& flag, uid_t euid, bool in_user_namespace) {
  if (flag == "true") return true;
  if (flag == "false") return false;
  return euid != 0 || in_user_namespace;
}

DefaultRoot default_state_root(uid_t euid, const char* xdg, bool in_user_namespace) {
  if (xdg == nullptr || *xdg == '\0') return {"/run/minirun", false};
  if (euid != 0) return {std::string(xdg) + "/minirun", true};
  // Root on the host ignores XDG_RUNTIME_DIR (e.g. /run/user/0), as runc does, to keep
  // /run/minirun; root in a user namespace takes it when the dir is its own.
  struct stat st {};
  if (in_user_namespace && stat(xdg, &st) == 0 && st.st_uid == euid)
    return {std::string(xdg) + "/minirun", true};
  return {"/run/minirun", false};
}

sys::Status prepare_private_state_root(const std::string& root) {
  if (mkdir(root.c_str(), 0700) < 0 && errno != EEXIST)
    return sys::Error::from_errno("state", "mkdir " + root);
  if (chmod(root.c_str(), 01700) < 0) return sys::Error::from_errno("state", "chmod " + root);
  return {};
}

}  // namespace minirun::cmd
