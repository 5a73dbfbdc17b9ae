#include "runtime/network/net_devices.hpp"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>

#include "runtime/network/netlink.hpp"
#include "runtime/sys/trace.hpp"
#include "spec/parse.hpp"
#include "spec/quote.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "network devices";

std::vector<uint8_t> bytes_of(const NetlinkAttr& a) {
  if (!a) return {};
  const auto* p = static_cast<const uint8_t*>(a.data);
  return {p, p + a.len};
}

sys::Error config_error(const std::string& pointer, const std::string& detail) {
  return sys::Error::plain("", spec::ConfigError(pointer, detail).what());
}

std::string quoted(const std::string& s) {
  return spec::go_quote(s);
}

struct Link {
  int index = 0;
  std::string name;
  uint32_t mtu = 0;
  std::vector<uint8_t> mac;
  std::string kind;
};

std::string link_kind(const NetlinkAttr& linkinfo) {
  if (!linkinfo) return {};
  // IFLA_LINKINFO is nested: walk its attributes for IFLA_INFO_KIND.
  const auto* rta = static_cast<const rtattr*>(linkinfo.data);
  int left = static_cast<int>(linkinfo.len);
  for (; RTA_OK(rta, left); rta = RTA_NEXT(rta, left))
    if ((rta->rta_type & NLA_TYPE_MASK) == IFLA_INFO_KIND)
      return NetlinkAttr{RTA_DATA(rta), RTA_PAYLOAD(rta)}.str();
  return {};
}

sys::Result<std::vector<Link>> dump_links(RouteNetlink& nl, const std::string& where) {
  std::vector<Link> links;
  NetlinkRequest req(RTM_GETLINK, 0, sizeof(ifinfomsg));
  MR_TRY(nl.dump(
      req,
      [&](const nlmsghdr* h) {
        if (h->nlmsg_type != RTM_NEWLINK) return;
        const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
        auto a = netlink_attrs(h, sizeof(ifinfomsg), IFLA_MAX);
        links.push_back({ifi->ifi_index, a[IFLA_IFNAME].str(), a[IFLA_MTU].u32(),
                         bytes_of(a[IFLA_ADDRESS]), link_kind(a[IFLA_LINKINFO])});
      },
      kStep, "list the interfaces of " + where));
  return links;
}

sys::Result<std::vector<std::pair<int, DeviceAddress>>> dump_addresses(RouteNetlink& nl) {
  std::vector<std::pair<int, DeviceAddress>> out;
  NetlinkRequest req(RTM_GETADDR, 0, sizeof(ifaddrmsg));
  MR_TRY(nl.dump(
      req,
      [&](const nlmsghdr* h) {
        if (h->nlmsg_type != RTM_NEWADDR) return;
        const auto* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(h));
        auto a = netlink_attrs(h, sizeof(ifaddrmsg), IFA_MAX);
        DeviceAddress d;
        d.family = ifa->ifa_family;
        d.prefix_len = ifa->ifa_prefixlen;
        d.scope = ifa->ifa_scope;
        d.flags = a[IFA_FLAGS] ? a[IFA_FLAGS].u32() : ifa->ifa_flags;
        d.local = bytes_of(a[IFA_LOCAL]);
        d.address = bytes_of(a[IFA_ADDRESS]);
        d.broadcast = bytes_of(a[IFA_BROADCAST]);
        d.label = a[IFA_LABEL].str();
        out.emplace_back(static_cast<int>(ifa->ifa_index), std::move(d));
      },
      kStep, "list the runtime's addresses"));
  return out;
}

// IFLA_IFNAME as the kernel fills a template: "eth%d" matches "eth3".
bool matches_template(const std::string& name, const std::string& pattern) {
  size_t pct = pattern.find("%d");
  if (pct == std::string::npos) return name == pattern;
  std::string head = pattern.substr(0, pct), tail = pattern.substr(pct + 2);
  if (name.size() <= head.size() + tail.size()) return false;
  if (name.compare(0, head.size(), head) != 0) return false;
  if (name.compare(name.size() - tail.size(), tail.size(), tail) != 0) return false;
  std::string digits = name.substr(head.size(), name.size() - head.size() - tail.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The device after its move: by name, or for a template by its old index (kept unless the
// namespace already uses it) and then by MAC.
const Link* find_moved(const std::vector<Link>& inside, const NetDeviceMove& m) {
  for (const auto& l : inside)
    if (!m.is_template() && l.name == m.target) return &l;
  if (!m.is_template()) return nullptr;
  for (const auto& l : inside)
    if (l.index == m.index && matches_template(l.name, m.target)) return &l;
  for (const auto& l : inside)
    if (!m.mac.empty() && l.mac == m.mac && matches_template(l.name, m.target)) return &l;
  return nullptr;
}

// The IFA_F_* a user asks for; the rest (tentative, permanent, ...) is the kernel's state.
constexpr uint32_t kRequestedFlags =
    IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN;

sys::Status add_address(RouteNetlink& inside, int index, const std::string& name,
                        const std::string& host_name, const DeviceAddress& d) {
  NetlinkRequest req(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(ifaddrmsg));
  auto& ifa = req.header<ifaddrmsg>();
  ifa.ifa_family = static_cast<uint8_t>(d.family);
  ifa.ifa_prefixlen = d.prefix_len;
  ifa.ifa_scope = d.scope;
  ifa.ifa_index = static_cast<uint32_t>(index);
  ifa.ifa_flags = static_cast<uint8_t>(d.flags & kRequestedFlags & 0xff);
  if (!d.local.empty()) req.add(IFA_LOCAL, d.local.data(), d.local.size());
  if (!d.address.empty()) req.add(IFA_ADDRESS, d.address.data(), d.address.size());
  if (!d.broadcast.empty()) req.add(IFA_BROADCAST, d.broadcast.data(), d.broadcast.size());
  // An IPv4 label starts with the device's name: "veth1:web" becomes "eth1:web".
  if (d.label.size() > host_name.size() && d.label.compare(0, host_name.size(), host_name) == 0 &&
      d.label[host_name.size()] == ':') {
    std::string label = name + d.label.substr(host_name.size());
    if (label.size() < IFNAMSIZ) req.add_string(IFA_LABEL, label);
  }
  req.add_u32(IFA_FLAGS, d.flags & kRequestedFlags);
  return inside.request(req, kStep, "add " + d.text() + " to " + name);
}

sys::Status set_link(RouteNetlink& nl, int index, const std::string& name, unsigned flags,
                     uint32_t mtu, const std::vector<uint8_t>& mac, const char* what) {
  NetlinkRequest req(RTM_NEWLINK, 0, sizeof(ifinfomsg));
  auto& ifi = req.header<ifinfomsg>();
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = index;
  ifi.ifi_flags = flags;
  ifi.ifi_change = flags;
  if (mtu) req.add_u32(IFLA_MTU, mtu);
  if (!mac.empty()) req.add(IFLA_ADDRESS, mac.data(), mac.size());
  return nl.request(req, kStep, std::string(what) + " " + name);
}

sys::Status move_one(RouteNetlink& host, RouteNetlink& inside, int netns_fd,
                     const NetDeviceMove& m) {
  // One request: the device arrives under its new name, or does not move at all.
  NetlinkRequest req(RTM_NEWLINK, 0, sizeof(ifinfomsg));
  auto& ifi = req.header<ifinfomsg>();
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = m.index;
  req.add_u32(IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
  req.add_string(IFLA_IFNAME, m.target);
  MR_TRY(host.request(req, kStep, "move " + m.host_name + " into the container as " + m.target));

  auto links = dump_links(inside, "the container");
  if (!links) return links.error();
  const Link* moved = find_moved(*links, m);
  if (!moved)
    return sys::Error::plain(kStep, "cannot find " + m.host_name + " (" + m.target +
                                        ") in the container after its move");
  const std::string name = moved->name;
  // The kernel keeps both across a move; set them only where they differ (some drivers
  // refuse a MAC change, even to the same address, while the device is in use).
  uint32_t mtu = moved->mtu != m.mtu ? m.mtu : 0;
  std::vector<uint8_t> mac = moved->mac != m.mac ? m.mac : std::vector<uint8_t>{};
  if (mtu || !mac.empty())
    MR_TRY(set_link(inside, moved->index, name, 0, mtu, mac, "keep MTU and MAC of"));
  for (const auto& d : m.addresses)
    if (d.kept()) MR_TRY(add_address(inside, moved->index, name, m.host_name, d));
  return set_link(inside, moved->index, name, IFF_UP, 0, {}, "set up");
}

}  // namespace

std::string DeviceAddress::text() const {
  const auto& a = local.empty() ? address : local;
  char buf[INET6_ADDRSTRLEN] = "?";
  if ((family == AF_INET && a.size() == 4) || (family == AF_INET6 && a.size() == 16))
    inet_ntop(family, a.data(), buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(prefix_len);
}

bool DeviceAddress::kept() const {
  return scope == RT_SCOPE_UNIVERSE && (flags & IFA_F_PERMANENT) != 0;
}

std::string DeviceAddress::why_not_kept() const {
  if (scope == RT_SCOPE_LINK) return "link-local";
  if (scope == RT_SCOPE_HOST) return "host";
  if (scope != RT_SCOPE_UNIVERSE) return "scope " + std::to_string(scope);
  return "dynamic";
}

std::string NetDeviceMove::mac_text() const {
  std::string out;
  char part[4];
  for (size_t i = 0; i < mac.size(); ++i) {
    std::snprintf(part, sizeof part, i ? ":%02x" : "%02x", mac[i]);
    out += part;
  }
  return out;
}

std::string NetDeviceMove::fate() const {
  if (kind.empty())
    return "physical: goes back to the host's initial network namespace when the container's "
           "goes away";
  if (kind == "veth")
    return "veth: destroyed with the container's network namespace, and its host peer with it";
  return kind + " (virtual): destroyed with the container's network namespace";
}

sys::Result<std::vector<NetDeviceMove>> describe_net_devices(
    const std::map<std::string, spec::NetDevice>& devices) {
  std::vector<NetDeviceMove> moves;
  if (devices.empty()) return moves;
  auto nl = RouteNetlink::open();
  if (!nl) return nl.error();
  auto links = dump_links(*nl, "the runtime's network namespace");
  if (!links) return links.error();
  auto addresses = dump_addresses(*nl);
  if (!addresses) return addresses.error();
  for (const auto& [host_name, device] : devices) {
    NetDeviceMove m;
    m.host_name = host_name;
    m.target = device.name.empty() ? host_name : device.name;
    m.pointer = spec::json_pointer_child("/linux/netDevices", host_name);
    auto link = std::find_if(links->begin(), links->end(),
                             [&](const Link& l) { return l.name == host_name; });
    if (link != links->end()) {
      m.found = true;
      m.index = link->index;
      m.mtu = link->mtu;
      m.mac = link->mac;
      m.kind = link->kind;
      for (const auto& [index, d] : *addresses)
        if (index == m.index) m.addresses.push_back(d);
    }
    moves.push_back(std::move(m));
  }
  return moves;
}

sys::Status refuse_missing(const std::vector<NetDeviceMove>& moves) {
  for (const auto& m : moves)
    if (!m.found)
      return config_error(m.pointer, "network device " + quoted(m.host_name) +
                                         " does not exist in the runtime's network namespace");
  return {};
}

namespace {

sys::Status refuse_taken(const std::vector<NetDeviceMove>& moves, const std::vector<Link>& inside) {
  for (const auto& m : moves) {
    if (m.is_template()) continue;
    for (const auto& l : inside)
      if (l.name == m.target)
        return config_error(m.pointer, "network device name " + quoted(m.target) +
                                           " is taken in the container's network namespace");
  }
  return {};
}

}  // namespace

sys::Status refuse_taken_names(const std::vector<NetDeviceMove>& moves, int netns_fd) {
  auto inside = RouteNetlink::open_in(netns_fd);
  if (!inside) return inside.error();
  auto links = dump_links(*inside, "the container");
  if (!links) return links.error();
  return refuse_taken(moves, *links);
}

sys::Status preflight_net_devices(const std::map<std::string, spec::NetDevice>& devices,
                                  int joined_netns_fd) {
  if (devices.empty()) return {};
  auto moves = describe_net_devices(devices);
  if (!moves) return moves.error();
  MR_TRY(refuse_missing(*moves));
  return joined_netns_fd < 0 ? sys::Status{} : refuse_taken_names(*moves, joined_netns_fd);
}

sys::Status move_net_devices(const std::map<std::string, spec::NetDevice>& devices, int netns_fd) {
  if (devices.empty()) return {};
  auto moves = describe_net_devices(devices);
  if (!moves) return moves.error();
  MR_TRY(refuse_missing(*moves));
  auto host = RouteNetlink::open();
  if (!host) return host.error();
  auto inside = RouteNetlink::open_in(netns_fd);
  if (!inside) return inside.error();
  auto links = dump_links(*inside, "the container");
  if (!links) return links.error();
  MR_TRY(refuse_taken(*moves, *links));
  for (const auto& m : *moves)
    MR_TRY(traced("network device", m.host_name + " -> " + m.target,
                  [&] { return move_one(*host, *inside, netns_fd, m); }));
  return {};
}

}  // namespace minirun::runtime
