// The parent <-> init channel: a SOCK_SEQPACKET socketpair carrying fixed-size messages
// and, for the console, one fd by SCM_RIGHTS.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

enum class SyncType : uint32_t {
  error = 1,        // init -> parent: a step failed; init exits
  ready = 2,        // init -> parent: about to exec (after the start signal, if it waits for one)
  setup_done = 4,   // parent -> init: id maps written, cgroup joined: init may proceed; carries
                    // the network namespace the parent made, if it made one
  console = 5,      // init -> parent: the pty master travels with this message
  run_hooks = 6,    // init -> parent: mounts are done, run prestart + createRuntime hooks
  hooks_done = 7,   // parent -> init: those hooks succeeded
  loopback_up = 8,  // parent -> init: lo is up in the network namespace it made
};

struct SyncMessage {
  SyncType type = SyncType::error;
  int32_t errnum = 0;
  char step[64] = {};
  char text[448] = {};
};

struct SyncPair {
  sys::Fd parent;
  sys::Fd child;
};

sys::Result<SyncPair> make_sync_pair();

sys::Status send_sync(int fd, SyncType type);
// From init or an exec child, which may be past its seccomp filter: write(2) only.
sys::Status send_sync_error(int fd, const sys::Error& error);
sys::Status send_ready(int fd);
sys::Status send_sync_fd(int fd, SyncType type, int payload_fd);

// Receives one message; *payload_fd gets an fd passed along with it (else stays invalid).
// A closed peer is reported as an Error with step "sync" and errnum 0, message "eof".
sys::Result<SyncMessage> recv_sync(int fd, sys::Fd* payload_fd = nullptr);
bool is_eof(const sys::Error& error);

// Waits for one message of the given type; an error message from init becomes an Error.
// *payload_fd gets an fd passed along with it, as in recv_sync.
sys::Status expect_sync(int fd, SyncType type, sys::Fd* payload_fd = nullptr);

sys::Error error_from_sync(const SyncMessage& message);

}  // namespace minirun::runtime
