// linux.netDevices: host interfaces moved into the container's network namespace, renamed
// on the way, with their MTU, MAC and permanent global addresses kept, and set up.
//
// Two passes, so a config that cannot work moves nothing: every device is looked up in the
// runtime's namespace and every target name in the container's before the first move. Each
// move is one RTM_NEWLINK carrying IFLA_NET_NS_FD and IFLA_IFNAME, so the rename happens in
// the container's namespace and cannot clash with a host name. Devices are never moved back
// (runtime-spec: MUST NOT): when the namespace goes, the kernel destroys virtual devices
// (veth, vxlan, bridge) and returns physical ones to the host's initial namespace. The same
// happens to devices already moved when a later step of the start fails (an address the
// container's namespace refuses, say): the start kills init, and a new namespace goes with
// it; a joined one outlives the container and keeps them, as it would after a normal exit.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct DeviceAddress {
  int family = 0;  // AF_INET or AF_INET6
  uint8_t prefix_len = 0;
  uint8_t scope = 0;               // RT_SCOPE_*
  uint32_t flags = 0;              // IFA_F_*
  std::vector<uint8_t> local;      // IFA_LOCAL (empty for IPv6 without a peer)
  std::vector<uint8_t> address;    // IFA_ADDRESS: the peer on point-to-point links
  std::vector<uint8_t> broadcast;  // IFA_BROADCAST (IPv4)
  std::string label;               // IFA_LABEL (IPv4): "eth1" or "eth1:web"

  std::string text() const;  // "10.0.0.2/24"
  // Permanent and global: configured by hand, meant for the device wherever it goes.
  // Link-local ones the kernel makes again inside; dynamic ones belong to a daemon on the host.
  bool kept() const;
  // For one that is not: "link-local", "host" or "dynamic".
  std::string why_not_kept() const;
};

struct NetDeviceMove {
  std::string host_name;  // the config's key
  std::string target;     // the name inside; may be a "%d" template
  std::string pointer;    // "/linux/netDevices/<key>", for messages
  bool found = false;     // exists in the runtime's network namespace
  int index = 0;
  uint32_t mtu = 0;
  std::vector<uint8_t> mac;
  std::string kind;  // IFLA_INFO_KIND: "veth", "vxlan"...; empty for a physical device
  std::vector<DeviceAddress> addresses;  // every address it has, kept() or not

  bool is_template() const { return target.find('%') != std::string::npos; }
  std::string mac_text() const;
  // What happens to it when the container's network namespace goes away.
  std::string fate() const;
};

// Each of config's devices as the runtime's network namespace has it now; missing ones have
// found == false.
sys::Result<std::vector<NetDeviceMove>> describe_net_devices(
    const std::map<std::string, spec::NetDevice>& devices);

// The first device that is missing, as a config error naming its pointer.
sys::Status refuse_missing(const std::vector<NetDeviceMove>& moves);

// The first target name already taken in the namespace netns_fd names (templates excepted).
sys::Status refuse_taken_names(const std::vector<NetDeviceMove>& moves, int netns_fd);

// create's pre-flight, before anything exists: every device exists, and every target name is
// free in the joined namespace (joined_netns_fd; -1 for a new one, checked at the move).
sys::Status preflight_net_devices(const std::map<std::string, spec::NetDevice>& devices,
                                  int joined_netns_fd);

// Parent, after the container's network namespace exists and before init goes on: checks
// all devices and target names, then moves, renames, configures and sets up each one.
sys::Status move_net_devices(const std::map<std::string, spec::NetDevice>& devices, int netns_fd);

}  // namespace minirun::runtime
