#include "runtime/process/sync.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/sys/fd_passing.hpp"

namespace minirun::runtime {

namespace {

template <size_t N>
void copy_text(char (&dst)[N], const std::string& src) {
  size_t n = std::min(src.size(), N - 1);
  std::memcpy(dst, src.data(), n);
  dst[n] = '\0';
}

sys::Status send_message(int fd, const SyncMessage& msg, int payload_fd) {
  return sys::send_with_fd(fd, &msg, sizeof msg, payload_fd, "sync");
}

// write(2), not sendmsg(2): after the seccomp filter a profile written for runc allows what
// runc's init calls there, and runc writes to its sync socket. (A closed peer raises SIGPIPE,
// which only ends a child whose parent is gone anyway.)
sys::Status write_message(int fd, const SyncMessage& msg) {
  ssize_t n;
  do n = write(fd, &msg, sizeof msg);
  while (n < 0 && errno == EINTR);
  if (n < 0) return sys::Error::from_errno("sync", "send to peer");
  return {};
}

}  // namespace

sys::Result<SyncPair> make_sync_pair() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return sys::Error::from_errno("sync", "socketpair");
  return SyncPair{sys::Fd(fds[0]), sys::Fd(fds[1])};
}

sys::Status send_sync(int fd, SyncType type) {
  SyncMessage msg;
  msg.type = type;
  return send_message(fd, msg, -1);
}

sys::Status send_sync_fd(int fd, SyncType type, int payload_fd) {
  SyncMessage msg;
  msg.type = type;
  return send_message(fd, msg, payload_fd);
}

sys::Status send_sync_error(int fd, const sys::Error& error) {
  SyncMessage msg;
  msg.type = SyncType::error;
  msg.errnum = error.errnum;
  copy_text(msg.step, error.step);
  copy_text(msg.text, error.message);
  return write_message(fd, msg);
}

sys::Status send_ready(int fd) {
  SyncMessage msg;
  msg.type = SyncType::ready;
  return write_message(fd, msg);
}

sys::Result<SyncMessage> recv_sync(int fd, sys::Fd* payload_fd) {
  SyncMessage msg;
  auto n = sys::recv_with_fd(fd, &msg, sizeof msg, payload_fd, "sync");
  // A peer that died with our last message unread resets the connection: that is its end too.
  // But the kernel reports the reset (once) before a message the peer sent as its last act
  // (init's error), so look again: the message is read now, the end on the next call.
  if (!n && n.error().errnum == ECONNRESET)
    n = sys::recv_with_fd(fd, &msg, sizeof msg, payload_fd, "sync");
  if (!n && n.error().errnum != ECONNRESET) return n.error();
  if (!n || *n == 0) return sys::Error::plain("sync", "eof");
  if (*n != sizeof msg) return sys::Error::plain("sync", "short message");
  return msg;
}

bool is_eof(const sys::Error& error) {
  return error.step == "sync" && error.errnum == 0 && error.message == "eof";
}

sys::Error error_from_sync(const SyncMessage& message) {
  return sys::Error{message.step, message.text, message.errnum};
}

sys::Status expect_sync(int fd, SyncType type, sys::Fd* payload_fd) {
  auto msg = recv_sync(fd, payload_fd);
  if (!msg) return msg.error();
  if (msg->type == SyncType::error) return error_from_sync(*msg);
  if (msg->type != type) return sys::Error::plain("sync", "unexpected message from peer");
  return {};
}

}  // namespace minirun::runtime
