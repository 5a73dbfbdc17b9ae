// Sending a buffer with one file descriptor over a unix socket (SCM_RIGHTS).
#pragma once

#include <cstddef>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::sys {

// payload_fd < 0 sends the buffer alone.
Status send_with_fd(int sock, const void* data, size_t size, int payload_fd, const char* step);

// Returns the bytes received (0 at EOF); a passed fd lands in *payload_fd (closed if null).
Result<size_t> recv_with_fd(int sock, void* data, size_t size, Fd* payload_fd, const char* step);

}  // namespace minirun::sys
