#include <gtest/gtest.h>

#include <algorithm>

#include "spec/default_spec.hpp"
#include "spec/parse.hpp"
#include "spec/validate.hpp"

namespace minirun::spec {
namespace {

HostFacts no_host() {
  return HostFacts{};
}

bool has_mount(const Config& c, std::string_view destination, std::string_view type) {
  return std::any_of(c.mounts.begin(), c.mounts.end(), [&](const Mount& m) {
    return m.destination == destination && m.type == type;
  });
}

TEST(DefaultSpec, ParsesAndValidates) {
  Config c = parse_config(default_spec_json());
  auto error = validate_config(c, no_host());
  EXPECT_FALSE(error) << (error ? error->what() : "");
}

TEST(DefaultSpec, ContentMatchesRuncSpec) {
  Config c = parse_config(default_spec_json());
  EXPECT_EQ(c.ociVersion.substr(0, 2), "1.");
  ASSERT_TRUE(c.root);
  EXPECT_EQ(c.root->path, "rootfs");
  EXPECT_TRUE(c.root->readonly);
  EXPECT_EQ(c.hostname, "minirun");

  ASSERT_TRUE(c.process);
  const Process& p = *c.process;
  EXPECT_TRUE(p.terminal);
  EXPECT_EQ(p.user.uid, 0u);
  EXPECT_EQ(p.user.gid, 0u);
  EXPECT_EQ(p.args, std::vector<std::string>{"sh"});
  EXPECT_EQ(p.env, (std::vector<std::string>{
                       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "TERM=xterm"}));
  EXPECT_EQ(p.cwd, "/");
  ASSERT_TRUE(p.capabilities);
  const std::vector<std::string> caps{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  EXPECT_EQ(p.capabilities->bounding, caps);
  EXPECT_EQ(p.capabilities->effective, caps);
  EXPECT_EQ(p.capabilities->permitted, caps);
  EXPECT_EQ(p.capabilities->ambient, caps);
  EXPECT_TRUE(p.capabilities->inheritable.empty());
  ASSERT_EQ(p.rlimits.size(), 1u);
  EXPECT_EQ(p.rlimits[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ(p.rlimits[0].hard, 1024u);
  EXPECT_EQ(p.rlimits[0].soft, 1024u);
  EXPECT_TRUE(p.noNewPrivileges);

  ASSERT_EQ(c.mounts.size(), 7u);
  EXPECT_TRUE(has_mount(c, "/proc", "proc"));
  EXPECT_TRUE(has_mount(c, "/dev", "tmpfs"));
  EXPECT_TRUE(has_mount(c, "/dev/pts", "devpts"));
  EXPECT_TRUE(has_mount(c, "/dev/shm", "tmpfs"));
  EXPECT_TRUE(has_mount(c, "/dev/mqueue", "mqueue"));
  EXPECT_TRUE(has_mount(c, "/sys", "sysfs"));
  EXPECT_TRUE(has_mount(c, "/sys/fs/cgroup", "cgroup"));
  EXPECT_EQ(c.mounts[2].options.back(), "gid=5");

  ASSERT_TRUE(c.linux);
  const Linux& l = *c.linux;
  std::vector<NamespaceType> types;
  for (const auto& ns : l.namespaces) {
    types.push_back(ns.type);
    EXPECT_EQ(ns.path, "");
  }
  EXPECT_EQ(types, (std::vector<NamespaceType>{NamespaceType::pid, NamespaceType::network,
                                               NamespaceType::ipc, NamespaceType::uts,
                                               NamespaceType::mount, NamespaceType::cgroup}));
  ASSERT_TRUE(l.resources);
  ASSERT_EQ(l.resources->devices.size(), 1u);
  EXPECT_FALSE(l.resources->devices[0].allow);
  EXPECT_EQ(l.resources->devices[0].access, "rwm");
  EXPECT_EQ(l.maskedPaths.size(), 10u);
  EXPECT_NE(std::find(l.maskedPaths.begin(), l.maskedPaths.end(), "/proc/kcore"),
            l.maskedPaths.end());
  EXPECT_EQ(l.readonlyPaths, (std::vector<std::string>{"/proc/bus", "/proc/fs", "/proc/irq",
                                                       "/proc/sys", "/proc/sysrq-trigger"}));
  EXPECT_TRUE(l.uidMappings.empty());
}

TEST(DefaultSpec, PrettyPrintedWithTabsInRuncOrder) {
  std::string text = default_spec_json();
  EXPECT_EQ(text.rfind("{\n\t\"ociVersion\": ", 0), 0u) << text.substr(0, 40);
  EXPECT_NE(text.find("\n\t\"process\": {\n\t\t\"terminal\": true,"), std::string::npos);
  EXPECT_LT(text.find("\"process\""), text.find("\"root\""));
  EXPECT_LT(text.find("\"root\""), text.find("\"mounts\""));
  EXPECT_LT(text.find("\"mounts\""), text.find("\"linux\""));
  EXPECT_EQ(text.back(), '}');
}

TEST(RootlessSpec, ParsesAndValidates) {
  Config c = parse_config(rootless_spec_json(1000, 1001));
  auto error = validate_config(c, no_host());
  EXPECT_FALSE(error) << (error ? error->what() : "");
}

TEST(RootlessSpec, MapsCallerKeepsItsNetworkAndDropsHostOnlyBits) {
  Config c = parse_config(rootless_spec_json(1000, 1001));
  ASSERT_TRUE(c.linux);
  const Linux& l = *c.linux;
  ASSERT_EQ(l.uidMappings.size(), 1u);
  EXPECT_EQ(l.uidMappings[0].containerID, 0u);
  EXPECT_EQ(l.uidMappings[0].hostID, 1000u);
  EXPECT_EQ(l.uidMappings[0].size, 1u);
  ASSERT_EQ(l.gidMappings.size(), 1u);
  EXPECT_EQ(l.gidMappings[0].hostID, 1001u);
  EXPECT_TRUE(l.find_namespace(NamespaceType::user));
  // Unlike runc's: its own netns, and so a real sysfs (docs/runc-differences.md).
  EXPECT_TRUE(l.find_namespace(NamespaceType::network));
  EXPECT_FALSE(l.resources);
  EXPECT_TRUE(has_mount(c, "/sys", "sysfs"));
  EXPECT_FALSE(has_mount(c, "/sys", "none"));
  for (const auto& m : c.mounts) {
    if (m.destination == "/dev/pts") {
      EXPECT_EQ(std::find(m.options.begin(), m.options.end(), "gid=5"), m.options.end());
    }
  }
}

}  // namespace
}  // namespace minirun::spec
