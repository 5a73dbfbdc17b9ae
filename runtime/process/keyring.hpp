// The container's own session keyring, as runc gives each container "_ses.<id>" so that it
// does not share the caller's session keyring (unless --no-new-keyring).
#pragma once

#include <string>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// Joins (creating if needed) the session keyring "_ses.<id>" and makes it searchable by its
// possessor's uid (or, in a new user namespace, by "other"), keeping the other permissions.
// A kernel without keyrings (ENOSYS) is not an error. Step "keyring".
sys::Status join_session_keyring(const std::string& container_id, bool in_new_user_namespace);

}  // namespace minirun::runtime
