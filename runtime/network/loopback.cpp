#include "runtime/network/loopback.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

sys::Status bring_loopback_up() {
  sys::Fd sock(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return sys::Error::from_errno("loopback", "socket");
  return bring_loopback_up(sock.get());
}

sys::Status bring_loopback_up(int socket_fd) {
  struct ifreq req {};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(socket_fd, SIOCGIFFLAGS, &req) < 0)
    return sys::Error::from_errno("loopback", "get flags of lo");
  req.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(socket_fd, SIOCSIFFLAGS, &req) < 0)
    return sys::Error::from_errno("loopback", "bring lo up");
  return {};
}

sys::Result<MadeNetworkNamespace> make_network_namespace() {
  constexpr const char* kOwn = "/proc/thread-self/ns/net";
  sys::Fd own(open(kOwn, O_RDONLY | O_CLOEXEC));
  if (!own) return sys::Error::from_errno("network", "open " + std::string(kOwn));
  if (unshare(CLONE_NEWNET) < 0) return sys::Error::from_errno("network", "new network namespace");
  MadeNetworkNamespace made{sys::Fd(open(kOwn, O_RDONLY | O_CLOEXEC)), {}};
  sys::Status opened =
      made.ns ? sys::Status{} : sys::Error::from_errno("network", "open the new network namespace");
  if (opened) {
    made.socket.reset(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!made.socket) opened = sys::Error::from_errno("loopback", "socket");
  }
  // Back before anything else: the parent's hooks run in the runtime's network namespace.
  if (setns(own.get(), CLONE_NEWNET) < 0)
    return sys::Error::from_errno("network", "return to the runtime's network namespace");
  if (!opened) return opened.error();
  return made;
}

}  // namespace minirun::runtime
