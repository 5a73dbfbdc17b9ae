#include "runtime/process/console_socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "runtime/sys/fd.hpp"
#include "runtime/sys/fd_passing.hpp"

namespace minirun::runtime {

sys::Status send_console(const std::string& socket_path, int master_fd) {
  sys::Fd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return sys::Error::from_errno("console-socket", "socket");
  struct sockaddr_un addr {};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path)
    return sys::Error::plain("console-socket", "path too long: " + socket_path);
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  if (connect(sock.get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) < 0)
    return sys::Error::from_errno("console-socket", "connect " + socket_path);
  static const char kName[] = "/dev/ptmx";
  return sys::send_with_fd(sock.get(), kName, sizeof kName - 1, master_fd, "console-socket");
}

}  // namespace minirun::runtime
