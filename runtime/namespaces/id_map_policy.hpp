// What an unprivileged caller may write to a new user namespace's uid_map and gid_map: without
// CAP_SETUID/CAP_SETGID in the parent namespace the kernel takes one line mapping the caller's
// own effective id, size 1 (user_namespaces(7)); anything else fails with EPERM once init
// exists. More (subordinate ranges from /etc/subuid and /etc/subgid) goes through the setuid
// helpers newuidmap and newgidmap, as runc's does. Checked before anything is made, so the
// refusal names the field.
#pragma once

#include <sys/types.h>

#include <string>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// The helper each map is written with; empty: the parent writes /proc/PID/{uid,gid}_map itself.
struct IdMapHelpers {
  std::string newuidmap;
  std::string newgidmap;
};

// Root (euid 0) writes every map itself. Otherwise a map that is exactly the caller's own id,
// size 1, is written directly; any other needs each of its lines to be the caller's own id
// (size 1) or inside a range /etc/subuid (/etc/subgid) grants the caller, by name or uid, as
// newuidmap reads them, and the helper found in $PATH (as runc's exec.LookPath).
sys::Result<IdMapHelpers> check_id_maps_for_caller(const spec::Linux& linux, uid_t euid,
                                                   gid_t egid);

}  // namespace minirun::runtime
