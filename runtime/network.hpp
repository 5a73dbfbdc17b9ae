// Network set-up done by init inside a new network namespace.
#pragma once

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// A new network namespace holds only lo, and it is DOWN: bring it up as runc and crun do.
sys::Status bring_loopback_up();

}  // namespace minirun::runtime
