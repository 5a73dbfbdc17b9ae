#include "runtime/network.hpp"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

sys::Status bring_loopback_up() {
  sys::Fd sock(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return sys::Error::from_errno("loopback", "socket");
  struct ifreq req {};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(sock.get(), SIOCGIFFLAGS, &req) < 0)
    return sys::Error::from_errno("loopback", "get flags of lo");
  req.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(sock.get(), SIOCSIFFLAGS, &req) < 0)
    return sys::Error::from_errno("loopback", "bring lo up");
  return {};
}

}  // namespace minirun::runtime
