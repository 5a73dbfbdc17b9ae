// Set-up of a new network namespace: by init inside it, or by the parent beside init.
#pragma once

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

// A new network namespace holds only lo, and it is DOWN: bring it up as runc and crun do.
sys::Status bring_loopback_up();
// The same from outside: socket_fd was made in the namespace whose lo comes up.
sys::Status bring_loopback_up(int socket_fd);

struct MadeNetworkNamespace {
  sys::Fd ns;      // for init to join
  sys::Fd socket;  // made inside it, so lo can come up from outside
};

// Parent: a new network namespace for init. The calling thread enters it to make it and is
// back in its own network namespace on return.
sys::Result<MadeNetworkNamespace> make_network_namespace();

}  // namespace minirun::runtime
