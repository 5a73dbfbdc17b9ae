// Wall-clock time as runc prints it (state.json "created", log lines).
#pragma once

#include <string>

namespace minirun::runtime {

// RFC 3339 UTC time with nanoseconds, as runc writes "created".
std::string rfc3339_now();

}  // namespace minirun::runtime
