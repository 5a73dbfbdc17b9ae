#include "runtime/network/netlink.hpp"

#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <sys/socket.h>

#include <cstring>

namespace minirun::runtime {

NetlinkRequest::NetlinkRequest(uint16_t type, uint16_t flags, size_t header_len)
    : buf_(NLMSG_SPACE(header_len), 0) {
  auto* h = reinterpret_cast<nlmsghdr*>(buf_.data());
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | flags;
}

void NetlinkRequest::add(uint16_t attr, const void* data, size_t len) {
  size_t at = NLMSG_ALIGN(buf_.size());
  buf_.resize(at + RTA_SPACE(len), 0);
  auto* rta = reinterpret_cast<rtattr*>(buf_.data() + at);
  rta->rta_type = attr;
  rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
  if (len) std::memcpy(RTA_DATA(rta), data, len);
}

void NetlinkRequest::add_string(uint16_t attr, std::string_view s) {
  std::string z(s);
  add(attr, z.c_str(), z.size() + 1);
}

nlmsghdr* NetlinkRequest::message() {
  auto* h = reinterpret_cast<nlmsghdr*>(buf_.data());
  h->nlmsg_len = static_cast<uint32_t>(buf_.size());
  return h;
}

uint32_t NetlinkAttr::u32() const {
  uint32_t v = 0;
  if (len >= sizeof v) std::memcpy(&v, data, sizeof v);
  return v;
}

std::string NetlinkAttr::str() const {
  const char* s = static_cast<const char*>(data);
  return s ? std::string(s, strnlen(s, len)) : std::string();
}

std::vector<NetlinkAttr> netlink_attrs(const nlmsghdr* msg, size_t header_len, size_t max_type) {
  std::vector<NetlinkAttr> out(max_type + 1);
  size_t offset = NLMSG_ALIGN(header_len);
  if (msg->nlmsg_len < NLMSG_LENGTH(offset)) return out;
  auto* rta =
      reinterpret_cast<const rtattr*>(reinterpret_cast<const char*>(NLMSG_DATA(msg)) + offset);
  int left = static_cast<int>(msg->nlmsg_len - NLMSG_LENGTH(offset));
  for (; RTA_OK(rta, left); rta = RTA_NEXT(rta, left)) {
    unsigned type = rta->rta_type & NLA_TYPE_MASK;
    if (type <= max_type) out[type] = {RTA_DATA(rta), RTA_PAYLOAD(rta)};
  }
  return out;
}

sys::Result<RouteNetlink> RouteNetlink::open() {
  sys::Fd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) return sys::Error::from_errno("netlink", "socket");
  // Errors carry the request's own header only, not the whole request echoed back.
  int one = 1;
  setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  return RouteNetlink(std::move(fd));
}

sys::Result<RouteNetlink> RouteNetlink::open_in(int netns_fd) {
  constexpr const char* kOwn = "/proc/thread-self/ns/net";
  sys::Fd own(::open(kOwn, O_RDONLY | O_CLOEXEC));
  if (!own) return sys::Error::from_errno("netlink", std::string("open ") + kOwn);
  if (setns(netns_fd, CLONE_NEWNET) < 0)
    return sys::Error::from_errno("netlink", "enter the container's network namespace");
  auto sock = open();
  if (setns(own.get(), CLONE_NEWNET) < 0)
    return sys::Error::from_errno("netlink", "return to the runtime's network namespace");
  return sock;
}

sys::Status RouteNetlink::send(NetlinkRequest& req, std::string_view step, std::string_view what) {
  nlmsghdr* msg = req.message();
  msg->nlmsg_seq = ++seq_;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_.get(), msg, msg->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel),
             sizeof kernel) < 0)
    return sys::Error::from_errno(std::string(step), std::string(what));
  return {};
}

namespace {

// Reads answers to seq until done() says the exchange is over; each(msg) sees every message.
// An NLMSG_ERROR with a nonzero code ends it with that errno.
sys::Status receive(int fd, uint32_t seq, const std::function<bool(const nlmsghdr*)>& each,
                    const std::string& step, const std::string& what) {
  alignas(nlmsghdr) char buf[32768];
  for (;;) {
    // MSG_TRUNC: the real length, so a message larger than buf fails instead of being cut
    // (the kernel sizes dump messages to at most 32 KiB, so this should not happen).
    ssize_t n = recv(fd, buf, sizeof buf, MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys::Error::from_errno(step, what);
    }
    if (n > static_cast<ssize_t>(sizeof buf)) return sys::Error{step, what, EMSGSIZE};
    int left = static_cast<int>(n);
    for (auto* h = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        if (err->error != 0) return sys::Error{step, what, -err->error};
        return {};
      }
      if (h->nlmsg_type == NLMSG_DONE) return {};
      if (!each(h)) return {};
    }
  }
}

}  // namespace

sys::Status RouteNetlink::request(NetlinkRequest& req, std::string step, std::string what) {
  req.message()->nlmsg_flags |= NLM_F_ACK;
  MR_TRY(send(req, step, what));
  return receive(
      fd_.get(), seq_, [](const nlmsghdr*) { return true; }, step, what);
}

sys::Status RouteNetlink::dump(NetlinkRequest& req,
                               const std::function<void(const nlmsghdr*)>& each, std::string step,
                               std::string what) {
  req.message()->nlmsg_flags |= NLM_F_DUMP;
  MR_TRY(send(req, step, what));
  return receive(
      fd_.get(), seq_,
      [&](const nlmsghdr* h) {
        each(h);
        return true;
      },
      step, what);
}

}  // namespace minirun::runtime
