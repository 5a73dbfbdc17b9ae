// What an unprivileged caller may write to a new user namespace's uid_map and gid_map: without
// CAP_SETUID/CAP_SETGID in the parent namespace the kernel takes one line mapping the caller's
// own effective id, size 1 (user_namespaces(7)); anything else fails with EPERM once init
// exists. Checked before anything is made, so the refusal names the field.
#pragma once

#include <sys/types.h>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// Nothing to check for root (euid 0). Ranges from /etc/subuid through newuidmap are not
// supported yet.
sys::Status check_id_maps_for_caller(const spec::Linux& linux, uid_t euid, gid_t egid);

}  // namespace minirun::runtime
