// runc's --console-socket protocol: connect to the unix socket and send the pty master with
// SCM_RIGHTS, the pty's name as the payload.
#pragma once

#include <string>

#include "runtime/sys/error.hpp"

namespace minirun::runtime {

sys::Status send_console(const std::string& socket_path, int master_fd);

}  // namespace minirun::runtime
