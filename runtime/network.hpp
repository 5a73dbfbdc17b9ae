// Network set-up done by init inside a new network namespace.
#pragma once

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

// A new network namespace holds only lo, and it is DOWN: bring it up as runc and crun do.
sys::Status bring_loopback_up();

// Parent: a new network namespace with lo up, returned as an fd for init to join. The
// calling thread enters it to make it and is back in its own network namespace on return.
sys::Result<sys::Fd> make_network_namespace();

}  // namespace minirun::runtime
