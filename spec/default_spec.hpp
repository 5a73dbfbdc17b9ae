// The config.json `minirun spec` writes: the same content as `runc spec`, with our hostname.
#pragma once

#include <cstdint>
#include <string>

namespace minirun::spec {

// Pretty-printed with tabs like runc, no trailing newline. Parses and validates cleanly.
std::string default_spec_json();

// `spec --rootless`, as runc's but for the network: a user namespace mapping container root to
// the caller's ids, no devpts gid, no resources; unlike runc's it keeps the network namespace
// and so mounts a real sysfs (runc drops the netns and binds the host's /sys).
std::string rootless_spec_json(uint32_t host_uid, uint32_t host_gid);

}  // namespace minirun::spec
