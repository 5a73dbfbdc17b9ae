// RFC 3339 UTC timestamps with nanoseconds, as runc writes them ("created" in the state,
// log lines): 2026-11-29T01:42:39.123456789Z.
#pragma once

#include <cstdint>
#include <string>

namespace minirun::spec {

// `seconds` since the Unix epoch plus `nanoseconds` (0..999999999), in UTC. Computed from the
// civil calendar alone: glibc's gmtime_r reads /etc/localtime first, even for UTC.
std::string rfc3339_utc(int64_t seconds, int64_t nanoseconds);

}  // namespace minirun::spec
