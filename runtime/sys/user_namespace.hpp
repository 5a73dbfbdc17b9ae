// Whether a process runs in a user namespace other than the initial one, as runc's
// userns.RunningInUserNS tells it: --rootless auto, the default state root, and the /dev nodes
// and error messages of a container whose init is in one.
#pragma once

#include <string_view>

namespace minirun::sys {

// Whether /proc/self/uid_map's text is that of a non-initial user namespace: anything but the
// initial namespace's one identity line "0 0 4294967295" (runc also reads only the first
// line). Empty text (no uid_map: a kernel without user namespaces) is the initial namespace.
bool uid_map_is_user_namespace(std::string_view uid_map);

// That, for this process (/proc/self/uid_map; unreadable counts as the initial namespace).
bool in_user_namespace();

}  // namespace minirun::sys
