// runtime/network/interface_stats: /proc/net/dev's text to runc's network_interfaces, and the
// JSON keys runc's Go struct (no json tags) writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include "runtime/network/interface_stats.hpp"

namespace minirun::runtime {
namespace {

constexpr const char* kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:     140       2    0    0    0     0          0         0      140       2    0    "
    "0    0     0       0          0\n"
    "  eth0: 1234567     890    1    2    0     0          0         3   765432     456    4    "
    "5    0     0       0          0\n";

TEST(InterfaceStats, ParsesEveryInterface) {
  auto list = parse_proc_net_dev(kNetDev);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "lo");
  EXPECT_EQ(list[0].rx_bytes, 140u);
  EXPECT_EQ(list[0].tx_packets, 2u);
  const auto& eth = list[1];
  EXPECT_EQ(eth.name, "eth0");
  EXPECT_EQ(eth.rx_bytes, 1234567u);
  EXPECT_EQ(eth.rx_packets, 890u);
  EXPECT_EQ(eth.rx_errors, 1u);
  EXPECT_EQ(eth.rx_dropped, 2u);
  EXPECT_EQ(eth.tx_bytes, 765432u);
  EXPECT_EQ(eth.tx_packets, 456u);
  EXPECT_EQ(eth.tx_errors, 4u);
  EXPECT_EQ(eth.tx_dropped, 5u);
}

TEST(InterfaceStats, ShortOrBrokenLinesAreSkipped) {
  EXPECT_TRUE(parse_proc_net_dev("").empty());
  EXPECT_TRUE(parse_proc_net_dev("h1\nh2\n  eth0: 1 2 3\nno colon here\n").empty());
}

TEST(InterfaceStats, OwnNamespaceIsNotTheContainers) {
  // This process shares the runtime's network namespace: its counters are the host's.
  EXPECT_FALSE(read_interface_stats(getpid()).has_value());
}

TEST(InterfaceStats, JsonKeysAreRuncs) {
  spec::CgroupStats s;
  EXPECT_NE(spec::stats_event_json("c1", s).find("\"network_interfaces\":null"), std::string::npos);
  s.network_interfaces = parse_proc_net_dev(kNetDev);
  auto json = spec::stats_event_json("c1", s);
  EXPECT_NE(json.find("\"network_interfaces\":[{\"Name\":\"lo\",\"RxBytes\":140,\"RxPackets\":2,"
                      "\"RxErrors\":0,\"RxDropped\":0,\"TxBytes\":140,\"TxPackets\":2,"
                      "\"TxErrors\":0,\"TxDropped\":0},{\"Name\":\"eth0\""),
            std::string::npos)
      << json;
  s.network_interfaces = std::vector<spec::NetworkInterfaceStats>{};
  EXPECT_NE(spec::stats_event_json("c1", s).find("\"network_interfaces\":[]"), std::string::npos);
}

}  // namespace
}  // namespace minirun::runtime
