// sysctl.d(5) key forms. When the first separator of a key is "/", slashes separate the
// components and dots belong to names (net/ipv4/conf/eth0.100/rp_filter); otherwise dots
// separate and slashes belong to names (net.ipv4.conf.eth0/100.rp_filter).
#pragma once

#include <string>
#include <string_view>

namespace minirun::spec {

// The dotted form runc validates against: net.ipv4.conf.eth0/100.rp_filter.
std::string sysctl_key_dotted(std::string_view key);

// The path below /proc/sys: net/ipv4/conf/eth0.100/rp_filter.
std::string sysctl_key_path(std::string_view key);

}  // namespace minirun::spec
