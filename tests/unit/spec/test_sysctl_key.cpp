#include <gtest/gtest.h>

#include "spec/sysctl_key.hpp"

namespace minirun::spec {
namespace {

TEST(SysctlKey, PlainDottedKeyIsUnchangedAndMapsToPath) {
  EXPECT_EQ(sysctl_key_dotted("kernel.shmmax"), "kernel.shmmax");
  EXPECT_EQ(sysctl_key_path("kernel.shmmax"), "kernel/shmmax");
}

TEST(SysctlKey, PlainSlashKeyConverts) {
  EXPECT_EQ(sysctl_key_dotted("kernel/shmmax"), "kernel.shmmax");
  EXPECT_EQ(sysctl_key_path("kernel/shmmax"), "kernel/shmmax");
}

TEST(SysctlKey, SlashFirstKeepsDotsInsideNames) {
  EXPECT_EQ(sysctl_key_dotted("net/ipv4/conf/eth0.100/rp_filter"),
            "net.ipv4.conf.eth0/100.rp_filter");
  EXPECT_EQ(sysctl_key_path("net/ipv4/conf/eth0.100/rp_filter"),
            "net/ipv4/conf/eth0.100/rp_filter");
}

TEST(SysctlKey, DotFirstKeepsSlashesInsideNames) {
  EXPECT_EQ(sysctl_key_dotted("net.ipv4.conf.eth0/100.rp_filter"),
            "net.ipv4.conf.eth0/100.rp_filter");
  EXPECT_EQ(sysctl_key_path("net.ipv4.conf.eth0/100.rp_filter"),
            "net/ipv4/conf/eth0.100/rp_filter");
}

TEST(SysctlKey, SlashFirstSwapsEverySeparatorLikeRunc) {
  EXPECT_EQ(sysctl_key_dotted("net/ipv4/conf/eno2.100.rp_filter"),
            "net.ipv4.conf.eno2/100/rp_filter");
}

TEST(SysctlKey, KeyWithoutSeparatorIsUnchanged) {
  EXPECT_EQ(sysctl_key_dotted("kernel"), "kernel");
  EXPECT_EQ(sysctl_key_path("kernel"), "kernel");
  EXPECT_EQ(sysctl_key_dotted(""), "");
}

TEST(SysctlKey, BothFormsAgree) {
  for (const char* key : {"net.ipv6.conf.bond1/340.autoconf", "net/ipv6/conf/bond1.340/autoconf"}) {
    EXPECT_EQ(sysctl_key_dotted(key), "net.ipv6.conf.bond1/340.autoconf") << key;
    EXPECT_EQ(sysctl_key_path(key), "net/ipv6/conf/bond1.340/autoconf") << key;
  }
}

}  // namespace
}  // namespace minirun::spec
