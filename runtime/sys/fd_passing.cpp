#include "runtime/sys/fd_passing.hpp"

#include <sys/socket.h>

#include <cstring>

namespace minirun::sys {

Status send_with_fd(int sock, const void* data, size_t size, int payload_fd, const char* step) {
  struct iovec iov {
    const_cast<void*>(data), size
  };
  struct msghdr hdr {};
  hdr.msg_iov = &iov;
  hdr.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (payload_fd >= 0) {
    hdr.msg_control = control;
    hdr.msg_controllen = sizeof control;
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&hdr);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &payload_fd, sizeof(int));
  }
  ssize_t n;
  do n = sendmsg(sock, &hdr, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno(step, "send to peer");
  return {};
}

Result<size_t> recv_with_fd(int sock, void* data, size_t size, Fd* payload_fd, const char* step) {
  struct iovec iov {
    data, size
  };
  struct msghdr hdr {};
  hdr.msg_iov = &iov;
  hdr.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  hdr.msg_control = control;
  hdr.msg_controllen = sizeof control;
  ssize_t n;
  do n = recvmsg(sock, &hdr, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno(step, "receive from peer");
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&hdr); c != nullptr; c = CMSG_NXTHDR(&hdr, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    int received;
    std::memcpy(&received, CMSG_DATA(c), sizeof(int));
    if (payload_fd != nullptr)
      payload_fd->reset(received);
    else
      close(received);
  }
  return static_cast<size_t>(n);
}

}  // namespace minirun::sys
