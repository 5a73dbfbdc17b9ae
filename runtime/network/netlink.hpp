// A route-netlink socket written by hand (no libmnl on the start path): requests that want an
// ack, and dumps. Enough for links and addresses; see net_devices.hpp for what uses it.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

// One request: nlmsghdr, the family header (ifinfomsg, ifaddrmsg), then attributes.
class NetlinkRequest {
 public:
  // header_len bytes of family header follow the nlmsghdr, zeroed; fill them via header().
  NetlinkRequest(uint16_t type, uint16_t flags, size_t header_len);

  template <class H>
  H& header() {
    return *reinterpret_cast<H*>(buf_.data() + NLMSG_HDRLEN);
  }
  void add(uint16_t attr, const void* data, size_t len);
  void add_u32(uint16_t attr, uint32_t value) { add(attr, &value, sizeof value); }
  void add_string(uint16_t attr, std::string_view s);  // NUL-terminated, as the kernel wants

  nlmsghdr* message();

 private:
  std::vector<uint8_t> buf_;
};

// The attributes of one message after its family header: attrs[type] -> (data, len).
struct NetlinkAttr {
  const void* data = nullptr;
  size_t len = 0;
  explicit operator bool() const { return data != nullptr; }
  uint32_t u32() const;
  std::string str() const;  // up to the first NUL
};
std::vector<NetlinkAttr> netlink_attrs(const nlmsghdr* msg, size_t header_len, size_t max_type);

class RouteNetlink {
 public:
  // A socket in the caller's network namespace.
  static sys::Result<RouteNetlink> open();
  // A socket in the network namespace netns_fd names: the calling thread enters it to make the
  // socket and is back in its own on return. The socket keeps talking to that namespace.
  static sys::Result<RouteNetlink> open_in(int netns_fd);

  // Sends req with NLM_F_ACK and waits for the kernel's answer: {} or its errno.
  sys::Status request(NetlinkRequest& req, std::string step, std::string what);
  // Sends a dump request and calls each(msg) for every message until NLMSG_DONE.
  sys::Status dump(NetlinkRequest& req, const std::function<void(const nlmsghdr*)>& each,
                   std::string step, std::string what);

  int fd() const { return fd_.get(); }

 private:
  explicit RouteNetlink(sys::Fd fd) : fd_(std::move(fd)) {}
  sys::Status send(NetlinkRequest& req, std::string_view step, std::string_view what);
  sys::Fd fd_;
  uint32_t seq_ = 0;
};

}  // namespace minirun::runtime
