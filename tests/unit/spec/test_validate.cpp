#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "spec/validate.hpp"

namespace minirun::spec {
namespace {

constexpr NamespaceIdentity kHostNet{3, 4026531840};
constexpr NamespaceIdentity kOtherNet{3, 4026532999};

// Namespace paths the fake host knows; anything else cannot be read.
HostFacts fake_host(std::map<std::string, NamespaceIdentity> known = {
                        {"/run/netns/host-bind", kHostNet}, {"/run/netns/other", kOtherNet}}) {
  HostFacts host;
  host.current_netns = [] { return std::optional(kHostNet); };
  host.namespace_identity = [known](const std::string& path,
                                    std::string* error) -> std::optional<NamespaceIdentity> {
    auto it = known.find(path);
    if (it != known.end()) return it->second;
    *error = "stat " + path + ": no such file or directory";
    return std::nullopt;
  };
  return host;
}

Config valid_config(std::initializer_list<NamespaceType> namespaces = {
                        NamespaceType::pid, NamespaceType::network, NamespaceType::ipc,
                        NamespaceType::uts, NamespaceType::mount}) {
  Config c;
  c.ociVersion = "1.2.0";
  c.root = Root{"rootfs", false};
  c.process = Process{};
  c.process->args = {"sh"};
  c.process->cwd = "/";
  c.linux = Linux{};
  for (NamespaceType t : namespaces) c.linux->namespaces.push_back({t, ""});
  return c;
}

// what() of the first broken rule, "" when the config is fine.
std::string violation(const Config& c, const HostFacts& host = fake_host()) {
  auto error = validate_config(c, host);
  return error ? error->what() : "";
}

void set_namespace_path(Config& c, NamespaceType type, std::string path) {
  for (auto& ns : c.linux->namespaces)
    if (ns.type == type) ns.path = std::move(path);
}

// ---- basics -----------------------------------------------------------------------------------

TEST(Validate, ValidConfigPasses) {
  EXPECT_EQ(violation(valid_config()), "");
}

TEST(Validate, EnvEntriesRuncRefusesAreRefusedUpFront) {
  Config c = valid_config();
  c.process->env = {"PATH=/bin", "HOME="};
  EXPECT_EQ(violation(c), "");
  c.process->env.push_back("NOEQ");
  EXPECT_EQ(violation(c), "config.json: /process/env/2: invalid environment variable: \"NOEQ\"");
  c.process->env.back() = "=x";
  EXPECT_EQ(violation(c),
            "config.json: /process/env/2: environment variable name can't be empty: \"=x\"");
}

TEST(Validate, ConfigWithoutLinuxSectionPassesBasics) {
  Config c = valid_config();
  c.linux.reset();
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, ErrorCarriesPointerAndDetail) {
  Config c = valid_config();
  c.process->args.clear();
  auto error = validate_config(c, fake_host());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->pointer(), "/process/args");
  EXPECT_EQ(error->detail(), "args must not be empty");
}

TEST(Validate, OciVersionMustBeOneDotSomething) {
  Config c = valid_config();
  for (const char* v : {"1.0.0", "1.0.2-dev", "1.3.0"}) {
    c.ociVersion = v;
    EXPECT_EQ(violation(c), "") << v;
  }
  c.ociVersion = "2.0.0";
  EXPECT_EQ(violation(c), "config.json: /ociVersion: unsupported ociVersion \"2.0.0\"");
  c.ociVersion = "";
  EXPECT_EQ(violation(c), "config.json: /ociVersion: unsupported ociVersion \"\"");
  c.ociVersion = "1";
  EXPECT_EQ(violation(c), "config.json: /ociVersion: unsupported ociVersion \"1\"");
}

TEST(Validate, RootRequired) {
  Config c = valid_config();
  c.root.reset();
  EXPECT_EQ(violation(c), "config.json: /root: missing required field");
}

TEST(Validate, ProcessRequired) {
  Config c = valid_config();
  c.process.reset();
  EXPECT_EQ(violation(c), "config.json: /process: missing required field");
}

TEST(Validate, ArgsMustNotBeEmpty) {
  Config c = valid_config();
  c.process->args.clear();
  EXPECT_EQ(violation(c), "config.json: /process/args: args must not be empty");
}

TEST(Validate, CwdMustBeAbsolute) {
  Config c = valid_config();
  c.process->cwd = "home";
  EXPECT_EQ(violation(c), "config.json: /process/cwd: cwd must be an absolute path");
  c.process->cwd = "";
  EXPECT_EQ(violation(c), "config.json: /process/cwd: cwd must be an absolute path");
  c.process->cwd = "/home/user";
  EXPECT_EQ(violation(c), "");
}

// ---- namespaces -------------------------------------------------------------------------------

TEST(Validate, DuplicatedNamespace) {
  Config c = valid_config();
  c.linux->namespaces.push_back({NamespaceType::network, ""});
  EXPECT_EQ(violation(c), "config.json: /linux/namespaces/5: duplicated namespace \"network\"");
}

TEST(Validate, NamespacePathMustBeAbsolute) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::ipc, "proc/1/ns/ipc");
  EXPECT_EQ(violation(c),
            "config.json: /linux/namespaces/2/path: namespace path must be an absolute path");
  set_namespace_path(c, NamespaceType::ipc, "/proc/1/ns/ipc");
  EXPECT_EQ(violation(c), "");
}

// ---- sysctl -----------------------------------------------------------------------------------

std::string sysctl_violation(Config c, const std::string& key,
                             const HostFacts& host = fake_host()) {
  c.linux->sysctl[key] = "1";
  return violation(c, host);
}

TEST(ValidateSysctl, IpcKeysNeedIpcNamespace) {
  for (const char* key :
       {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
        "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", "fs.mqueue.msg_max",
        "kernel/shmmax", "fs/mqueue/queues_max"}) {
    EXPECT_EQ(sysctl_violation(valid_config(), key), "") << key;
    Config no_ipc = valid_config({NamespaceType::mount, NamespaceType::network});
    EXPECT_EQ(sysctl_violation(no_ipc, key), "config.json: /linux/sysctl/" +
                                                 json_pointer_token(key) + ": sysctl \"" + key +
                                                 "\" is not allowed in the hosts ipc namespace")
        << key;
  }
}

TEST(ValidateSysctl, JoinedIpcNamespaceCounts) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::ipc, "/proc/1/ns/ipc");
  EXPECT_EQ(sysctl_violation(c, "kernel.shmmax"), "");
}

TEST(ValidateSysctl, OtherKernelKeysAreNotNamespaced) {
  EXPECT_EQ(sysctl_violation(valid_config(), "kernel.panic"),
            "config.json: /linux/sysctl/kernel.panic: sysctl \"kernel.panic\" is not in a "
            "separate kernel namespace");
  EXPECT_EQ(sysctl_violation(valid_config(), "kernel.msgmax_extra"),
            "config.json: /linux/sysctl/kernel.msgmax_extra: sysctl \"kernel.msgmax_extra\" is "
            "not in a separate kernel namespace");
  EXPECT_EQ(sysctl_violation(valid_config(), "vm.swappiness"),
            "config.json: /linux/sysctl/vm.swappiness: sysctl \"vm.swappiness\" is not in a "
            "separate kernel namespace");
  // "fs.mqueue" alone is not below fs.mqueue.
  EXPECT_EQ(sysctl_violation(valid_config(), "fs.mqueueX"),
            "config.json: /linux/sysctl/fs.mqueueX: sysctl \"fs.mqueueX\" is not in a separate "
            "kernel namespace");
}

TEST(ValidateSysctl, NetKeysInNewNetworkNamespace) {
  EXPECT_EQ(sysctl_violation(valid_config(), "net.ipv4.ip_forward"), "");
  EXPECT_EQ(sysctl_violation(valid_config(), "net/ipv4/conf/eth0.100/rp_filter"), "");
  EXPECT_EQ(sysctl_violation(valid_config(), "net.ipv4.conf.eth0/100.rp_filter"), "");
}

TEST(ValidateSysctl, NetKeysWithoutNetworkNamespaceAreHost) {
  Config c = valid_config({NamespaceType::ipc, NamespaceType::uts, NamespaceType::mount});
  EXPECT_EQ(sysctl_violation(c, "net.ipv4.ip_forward"),
            "config.json: /linux/sysctl/net.ipv4.ip_forward: sysctl \"net.ipv4.ip_forward\" not "
            "allowed in host network namespace");
  // The message names the key as written; the pointer escapes its slashes.
  EXPECT_EQ(sysctl_violation(c, "net/ipv4/ip_forward"),
            "config.json: /linux/sysctl/net~1ipv4~1ip_forward: sysctl \"net/ipv4/ip_forward\" "
            "not allowed in host network namespace");
}

TEST(ValidateSysctl, JoinedNetnsThatIsTheCallersIsHost) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/host-bind");
  EXPECT_EQ(sysctl_violation(c, "net.core.somaxconn"),
            "config.json: /linux/sysctl/net.core.somaxconn: sysctl \"net.core.somaxconn\" not "
            "allowed in host network namespace");
}

TEST(ValidateSysctl, JoinedOtherNetnsIsAllowed) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/other");
  EXPECT_EQ(sysctl_violation(c, "net.core.somaxconn"), "");
}

TEST(ValidateSysctl, SameInodeOnOtherDeviceIsNotHost) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/x");
  HostFacts host = fake_host({{"/run/netns/x", {kHostNet.dev + 1, kHostNet.ino}}});
  EXPECT_EQ(sysctl_violation(c, "net.core.somaxconn", host), "");
}

TEST(ValidateSysctl, UnreadableNetnsPath) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/gone");
  EXPECT_EQ(sysctl_violation(c, "net.core.somaxconn"),
            "config.json: /linux/sysctl/net.core.somaxconn: invalid netns path: stat "
            "/run/netns/gone: no such file or directory");
}

TEST(ValidateSysctl, NetnsPathIsOnlyInspectedForNetKeys) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/gone");
  EXPECT_EQ(sysctl_violation(c, "kernel.shmmax"), "");
  EXPECT_EQ(violation(c), "");
}

TEST(ValidateSysctl, NetnsIdentityIsComputedOnce) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/other");
  c.linux->sysctl = {{"net.a", "1"}, {"net.b", "1"}, {"net.c", "1"}};
  int calls = 0;
  HostFacts host = fake_host();
  auto inner = host.namespace_identity;
  host.namespace_identity = [&](const std::string& p, std::string* e) {
    ++calls;
    return inner(p, e);
  };
  EXPECT_EQ(violation(c, host), "");
  EXPECT_EQ(calls, 1);
}

// The stat of /proc/self/ns/net is paid only by a net sysctl in a joined namespace.
TEST(ValidateSysctl, CurrentNetnsIsAskedOnlyWhenAVerdictNeedsIt) {
  int asked = 0;
  HostFacts host = fake_host();
  host.current_netns = [&] {
    ++asked;
    return std::optional(kHostNet);
  };
  Config c = valid_config();
  c.linux->sysctl = {{"net.core.somaxconn", "1"}, {"kernel.msgmax", "1"}};
  EXPECT_EQ(violation(c, host), "");
  EXPECT_EQ(asked, 0) << "a new network namespace is never the host's";
  set_namespace_path(c, NamespaceType::network, "/run/netns/other");
  EXPECT_EQ(violation(c, host), "");
  EXPECT_EQ(asked, 1);
}

TEST(ValidateSysctl, UnknownCurrentNetnsIsAnError) {
  Config c = valid_config();
  set_namespace_path(c, NamespaceType::network, "/run/netns/other");
  HostFacts host = fake_host();
  host.current_netns = [] { return std::optional<NamespaceIdentity>(); };
  EXPECT_EQ(sysctl_violation(c, "net.core.somaxconn", host),
            "config.json: /linux/sysctl/net.core.somaxconn: invalid netns path: cannot inspect "
            "the current network namespace");
}

TEST(ValidateSysctl, UtsKeys) {
  EXPECT_EQ(sysctl_violation(valid_config(), "kernel.domainname"), "");
  EXPECT_EQ(sysctl_violation(valid_config(), "kernel/domainname"), "");
  EXPECT_EQ(sysctl_violation(valid_config(), "kernel.hostname"),
            "config.json: /linux/sysctl/kernel.hostname: sysctl \"kernel.hostname\" is not "
            "allowed as it conflicts with the OCI \"hostname\" field");
  Config no_uts = valid_config({NamespaceType::ipc, NamespaceType::network, NamespaceType::mount});
  EXPECT_EQ(sysctl_violation(no_uts, "kernel.domainname"),
            "config.json: /linux/sysctl/kernel.domainname: sysctl \"kernel.domainname\" is not in "
            "a separate kernel namespace");
  EXPECT_EQ(sysctl_violation(no_uts, "kernel.hostname"),
            "config.json: /linux/sysctl/kernel.hostname: sysctl \"kernel.hostname\" is not in a "
            "separate kernel namespace");
}

TEST(ValidateSysctl, UserKeysNeedUserNamespace) {
  EXPECT_EQ(sysctl_violation(valid_config(), "user.max_user_namespaces"),
            "config.json: /linux/sysctl/user.max_user_namespaces: setting ucounts without a user "
            "namespace not allowed: user.max_user_namespaces");
  Config c = valid_config({NamespaceType::user, NamespaceType::mount});
  c.linux->uidMappings = {{0, 1000, 1}};
  c.linux->gidMappings = {{0, 1000, 1}};
  EXPECT_EQ(sysctl_violation(c, "user.max_user_namespaces"), "");
}

TEST(ValidateSysctl, KeysThatClimbOutOfProcSysAreRejected) {
  EXPECT_EQ(sysctl_violation(valid_config(), "net/../../sysrq-trigger"),
            "config.json: /linux/sysctl/net~1..~1..~1sysrq-trigger: invalid sysctl key "
            "\"net/../../sysrq-trigger\"");
  EXPECT_EQ(sysctl_violation(valid_config(), "net.ipv4..x"),
            "config.json: /linux/sysctl/net.ipv4..x: invalid sysctl key \"net.ipv4..x\"");
  EXPECT_EQ(sysctl_violation(valid_config(), ""),
            "config.json: /linux/sysctl/: invalid sysctl key \"\"");
}

TEST(ValidateSysctl, MessageQuotesLikeGo) {
  EXPECT_EQ(sysctl_violation(valid_config(), "kernel.a\"b"),
            "config.json: /linux/sysctl/kernel.a\"b: sysctl \"kernel.a\\\"b\" is not in a "
            "separate kernel namespace");
}

// ---- namespace requirements of other fields ---------------------------------------------------

TEST(Validate, HostnameNeedsUts) {
  Config c = valid_config({NamespaceType::mount});
  c.hostname = "box";
  EXPECT_EQ(violation(c),
            "config.json: /hostname: unable to set hostname without a private UTS namespace");
  c.linux->namespaces.push_back({NamespaceType::uts, ""});
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, DomainnameNeedsUts) {
  Config c = valid_config({NamespaceType::mount});
  c.domainname = "example.org";
  EXPECT_EQ(violation(c),
            "config.json: /domainname: unable to set domainname without a private UTS namespace");
  c.linux->namespaces.push_back({NamespaceType::uts, "/proc/1/ns/uts"});
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, MaskedAndReadonlyPathsNeedMountNamespace) {
  Config c = valid_config({NamespaceType::pid});
  c.linux->maskedPaths = {"/proc/kcore"};
  EXPECT_EQ(violation(c),
            "config.json: /linux/maskedPaths: unable to restrict sys entries "
            "without a private MNT namespace");
  c.linux->maskedPaths.clear();
  c.linux->readonlyPaths = {"/proc/sys"};
  EXPECT_EQ(violation(c),
            "config.json: /linux/readonlyPaths: unable to restrict sys entries "
            "without a private MNT namespace");
  c.linux->namespaces.push_back({NamespaceType::mount, ""});
  EXPECT_EQ(violation(c), "");
}

// Without them a config needs no mount namespace: the container shares the caller's (runc
// runs it; runtime/rootfs/rootfs.hpp, RootEntry::chroot_in_caller_ns).
TEST(Validate, NoMountNamespaceIsValid) {
  EXPECT_EQ(violation(valid_config({NamespaceType::pid})), "");
  EXPECT_EQ(violation(valid_config({})), "");
}

TEST(Validate, MappingsWithoutUserNamespace) {
  Config c = valid_config();
  c.linux->uidMappings = {{0, 1000, 1}};
  EXPECT_EQ(violation(c),
            "config.json: /linux/uidMappings: user namespace mappings specified, "
            "but user namespace isn't enabled");
  c.linux->uidMappings.clear();
  c.linux->gidMappings = {{0, 1000, 1}};
  EXPECT_EQ(violation(c),
            "config.json: /linux/gidMappings: user namespace mappings specified, "
            "but user namespace isn't enabled");
}

TEST(Validate, NewUserNamespaceNeedsMappings) {
  Config c = valid_config({NamespaceType::user, NamespaceType::mount});
  EXPECT_EQ(violation(c),
            "config.json: /linux/uidMappings: user namespaces enabled, but no "
            "uid/gid mappings found");
  c.linux->uidMappings = {{0, 1000, 1}};
  EXPECT_EQ(violation(c),
            "config.json: /linux/gidMappings: user namespaces enabled, but no "
            "uid/gid mappings found");
  c.linux->gidMappings = {{0, 1000, 1}};
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, JoinedUserNamespaceNeedsNoMappings) {
  Config c = valid_config({NamespaceType::user, NamespaceType::mount});
  set_namespace_path(c, NamespaceType::user, "/proc/1/ns/user");
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, NetDevicesNeedNetworkNamespace) {
  Config c = valid_config({NamespaceType::mount});
  c.linux->netDevices["eth1"] = NetDevice{};
  EXPECT_EQ(violation(c),
            "config.json: /linux/netDevices: unable to move network devices "
            "without a NET namespace");
  c.linux->namespaces.push_back({NamespaceType::network, "/run/netns/other"});
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, NetDeviceNames) {
  Config c = valid_config();
  c.linux->netDevices["eth1"] = NetDevice{"ceth1"};
  c.linux->netDevices["abcdefghijklmno"] = NetDevice{};  // 15 bytes: the kernel's maximum
  EXPECT_EQ(violation(c), "");

  for (const char* bad : {"abcdefghijklmnop", ".", "..", "a/b", "a:b", "a b", "a\tb"}) {
    Config k = valid_config();
    k.linux->netDevices[bad] = NetDevice{};
    EXPECT_EQ(violation(k), "config.json: /linux/netDevices/" + json_pointer_token(bad) +
                                ": invalid network device name \"" +
                                (std::string(bad) == "a\tb" ? std::string("a\\tb") : bad) + "\"")
        << bad;
  }
  c.linux->netDevices["eth1"] = NetDevice{"bad name"};
  EXPECT_EQ(violation(c),
            "config.json: /linux/netDevices/eth1/name: invalid network device name \"bad name\"");
}

TEST(Validate, NetDeviceNameRules) {
  // Empty and '/' in the container's name, as in the host's.
  for (const char* bad : {"", "a/b", ".", "..", "abcdefghijklmnop"}) {
    Config c = valid_config();
    c.linux->netDevices["eth1"] = NetDevice{bad};
    if (std::string(bad).empty()) {
      EXPECT_EQ(violation(c), "") << "an empty name keeps the host's";
      continue;
    }
    EXPECT_EQ(violation(c),
              "config.json: /linux/netDevices/eth1/name: invalid network device "
              "name \"" +
                  std::string(bad) + "\"")
        << bad;
  }
  Config empty_key = valid_config();
  empty_key.linux->netDevices[""] = NetDevice{"x"};
  EXPECT_EQ(violation(empty_key),
            "config.json: /linux/netDevices/: invalid network device name \"\"");
}

TEST(Validate, NetDeviceTemplates) {
  Config c = valid_config();
  c.linux->netDevices["veth1"] = NetDevice{"net%d"};
  c.linux->netDevices["veth2"] = NetDevice{"net%d"};  // the kernel gives each its own number
  EXPECT_EQ(violation(c), "");
  for (const char* bad : {"net%s", "a%d%d", "net%", "%%d"}) {
    Config k = valid_config();
    k.linux->netDevices["veth1"] = NetDevice{bad};
    EXPECT_EQ(violation(k),
              "config.json: /linux/netDevices/veth1/name: invalid network device "
              "name \"" +
                  std::string(bad) + "\"")
        << bad;
  }
}

TEST(Validate, NetDeviceDuplicateTargets) {
  Config c = valid_config();
  c.linux->netDevices["veth1"] = NetDevice{"eth0"};
  c.linux->netDevices["veth2"] = NetDevice{"eth0"};
  EXPECT_EQ(violation(c),
            "config.json: /linux/netDevices/veth2/name: network device name \"eth0\" is also "
            "the name /linux/netDevices/veth1 takes in the container");
  // A device that keeps its host name clashes with another renamed to it.
  Config k = valid_config();
  k.linux->netDevices["eth0"] = NetDevice{};
  k.linux->netDevices["veth2"] = NetDevice{"eth0"};
  EXPECT_EQ(violation(k),
            "config.json: /linux/netDevices/veth2/name: network device name \"eth0\" is also "
            "the name /linux/netDevices/eth0 takes in the container");
  // Swapping two names is fine: both move in one step each into an empty namespace.
  Config swap = valid_config();
  swap.linux->netDevices["a"] = NetDevice{"b"};
  swap.linux->netDevices["b"] = NetDevice{"a"};
  EXPECT_EQ(violation(swap), "");
}

TEST(Validate, TimeOffsetsNeedTimeNamespace) {
  Config c = valid_config();
  c.linux->timeOffsets["monotonic"] = {10, 0};
  EXPECT_EQ(violation(c),
            "config.json: /linux/timeOffsets: time offsets specified, but no time namespace");
  c.linux->namespaces.push_back({NamespaceType::time, ""});
  EXPECT_EQ(violation(c), "");
  c.linux->timeOffsets["realtime"] = {1, 0};
  EXPECT_EQ(violation(c), "config.json: /linux/timeOffsets/realtime: unknown clock \"realtime\"");
  c.linux->timeOffsets.erase("realtime");
  set_namespace_path(c, NamespaceType::time, "/proc/1/ns/time");
  EXPECT_EQ(violation(c),
            "config.json: /linux/timeOffsets: time offsets specified, but joining "
            "an existing time namespace");
}

// ---- process security -------------------------------------------------------------------------

TEST(Validate, CapabilityNamesMustBeKnown) {
  Config c = valid_config();
  c.process->capabilities = Capabilities{};
  c.process->capabilities->bounding = {"CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW",
                                       "CAP_CHECKPOINT_RESTORE"};
  EXPECT_EQ(violation(c), "");
  c.process->capabilities->bounding.push_back("CAP_FOO");
  EXPECT_EQ(violation(c),
            "config.json: /process/capabilities/bounding/4: unknown capability \"CAP_FOO\"");
  c.process->capabilities->bounding.pop_back();

  auto set_bad = [](Capabilities& caps, int which) {
    std::vector<std::string>* sets[] = {&caps.effective, &caps.inheritable, &caps.permitted,
                                        &caps.ambient};
    sets[which]->push_back("kill");
  };
  const char* names[] = {"effective", "inheritable", "permitted", "ambient"};
  for (int i = 0; i < 4; ++i) {
    Config k = c;
    set_bad(*k.process->capabilities, i);
    EXPECT_EQ(violation(k), std::string("config.json: /process/capabilities/") + names[i] +
                                "/0: unknown capability \"kill\"");
  }
}

TEST(Validate, Rlimits) {
  Config c = valid_config();
  c.process->rlimits = {{"RLIMIT_NOFILE", 1024, 1024}, {"RLIMIT_CORE", 10, 0}};
  EXPECT_EQ(violation(c), "");
  c.process->rlimits[0].type = "RLIMIT_FOO";
  EXPECT_EQ(violation(c),
            "config.json: /process/rlimits/0/type: invalid rlimit type \"RLIMIT_FOO\"");
  c.process->rlimits[0].type = "RLIMIT_CORE";
  EXPECT_EQ(violation(c),
            "config.json: /process/rlimits/1/type: duplicate rlimit type \"RLIMIT_CORE\"");
  c.process->rlimits = {{"RLIMIT_NOFILE", 1024, 2048}};
  EXPECT_EQ(violation(c),
            "config.json: /process/rlimits/0: soft limit 2048 exceeds hard limit 1024");
}

// ---- hooks, mounts, devices -------------------------------------------------------------------

TEST(Validate, Hooks) {
  Config c = valid_config();
  c.hooks = Hooks{};
  c.hooks->prestart = {{"/bin/true", {}, {}, 5}};
  EXPECT_EQ(violation(c), "");
  c.hooks->poststop = {{"/bin/true", {}, {}, std::nullopt}, {"true", {}, {}, std::nullopt}};
  EXPECT_EQ(violation(c),
            "config.json: /hooks/poststop/1/path: hook path must be an absolute path");
  c.hooks->poststop.pop_back();
  c.hooks->createRuntime = {{"/bin/true", {}, {}, 0}};
  EXPECT_EQ(violation(c),
            "config.json: /hooks/createRuntime/0/timeout: timeout must be greater than zero");
}

// A host hook that is a FIFO, a directory or a device can never run: refused up front. One
// that does not exist (yet) is left to fail when it runs, as with runc; createContainer and
// startContainer paths name files in the container, not on the host.
TEST(Validate, HostHookPathMustBeARegularFileIfItExists) {
  HostFacts host = fake_host();
  host.file_mode = [](const std::string& path) -> std::optional<unsigned> {
    if (path == "/bin/true") return S_IFREG | 0755;
    if (path == "/run/hook.fifo") return S_IFIFO | 0600;
    if (path == "/dev/ptmx") return S_IFCHR | 0666;
    return std::nullopt;
  };
  Config c = valid_config();
  c.hooks = Hooks{};
  c.hooks->prestart = {{"/bin/true", {}, {}, std::nullopt}};
  c.hooks->poststop = {{"/not/there/yet", {}, {}, std::nullopt}};
  c.hooks->createContainer = {{"/run/hook.fifo", {}, {}, std::nullopt}};
  EXPECT_EQ(violation(c, host), "");
  c.hooks->poststop.push_back({"/run/hook.fifo", {}, {}, std::nullopt});
  EXPECT_EQ(violation(c, host),
            "config.json: /hooks/poststop/1/path: hook path \"/run/hook.fifo\" is a FIFO, not a "
            "regular file");
  c.hooks->poststop.pop_back();
  c.hooks->createRuntime = {{"/dev/ptmx", {}, {}, std::nullopt}};
  EXPECT_EQ(violation(c, host),
            "config.json: /hooks/createRuntime/0/path: hook path \"/dev/ptmx\" is a character "
            "device, not a regular file");
}

TEST(Validate, MountDestinationMustNotBeEmpty) {
  Config c = valid_config();
  c.mounts = {{"/proc", "proc", "proc", {}, {}, {}}, {"", "tmpfs", "tmpfs", {}, {}, {}}};
  EXPECT_EQ(violation(c),
            "config.json: /mounts/1/destination: mount destination must not be empty");
}

TEST(Validate, BindMountNeedsSource) {
  Config c = valid_config();
  c.mounts = {{"/data", "bind", "", {}, {}, {}}};
  EXPECT_EQ(violation(c), "config.json: /mounts/0/source: bind mount needs a source");
  c.mounts = {{"/data", "none", "", {"ro", "rbind"}, {}, {}}};
  EXPECT_EQ(violation(c), "config.json: /mounts/0/source: bind mount needs a source");
  c.mounts = {{"/data", "", "", {"bind"}, {}, {}}};
  EXPECT_EQ(violation(c), "config.json: /mounts/0/source: bind mount needs a source");
  c.mounts = {{"/data", "none", "/srv", {"rbind"}, {}, {}}};
  EXPECT_EQ(violation(c), "");
  c.mounts = {{"/tmp", "tmpfs", "", {}, {}, {}}};
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, AUserNamespaceMountsSysfsProcAndMqueueOnlyOfNamespacesItOwns) {
  Config c = valid_config({NamespaceType::mount, NamespaceType::pid, NamespaceType::user});
  c.linux->uidMappings = {{0, 1000, 1}};
  c.linux->gidMappings = {{0, 1000, 1}};
  c.mounts = {{"/proc", "proc", "proc", {}, {}, {}}, {"/sys", "sysfs", "sysfs", {"ro"}, {}, {}}};
  EXPECT_EQ(violation(c),
            "config.json: /mounts/1: mount sysfs on /sys: not permitted in a user namespace "
            "without its own network namespace (add \"network\" to /linux/namespaces, or "
            "bind-mount /sys instead)");
  c.mounts[1].options = {"rbind", "ro"};  // the host's /sys bound, as runc's rootless spec does
  EXPECT_EQ(violation(c), "");
  c.mounts.push_back({"/dev/mqueue", "mqueue", "mqueue", {}, {}, {}});
  EXPECT_EQ(violation(c),
            "config.json: /mounts/2: mount mqueue on /dev/mqueue: not permitted in a user "
            "namespace without its own ipc namespace (add \"ipc\" to /linux/namespaces, or "
            "bind-mount /dev/mqueue instead)");
  c.linux->namespaces.push_back({NamespaceType::ipc, "/proc/1/ns/ipc"});  // joined: not known
  EXPECT_EQ(violation(c), "");
  c.linux->namespaces.erase(c.linux->namespaces.begin() + 1);  // pid shared with the runtime
  EXPECT_TRUE(
      violation(c).starts_with("config.json: /mounts/0: mount proc on /proc: not "
                               "permitted in a user namespace without its own pid "))
      << violation(c);
  set_namespace_path(c, NamespaceType::user, "/proc/1/ns/user");  // joined: it may own them
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, AUserNamespaceMountsWithUidAndGidOptionsItMaps) {
  Config c = valid_config({NamespaceType::mount, NamespaceType::user});
  c.linux->uidMappings = {{0, 1000, 1}, {1, 100000, 65536}};
  c.linux->gidMappings = {{0, 1000, 1}};
  c.mounts = {{"/dev/pts", "devpts", "devpts", {"newinstance", "mode=0620", "gid=5"}, {}, {}}};
  EXPECT_EQ(violation(c),
            "config.json: /mounts/0/options/2: cannot specify gid= mount options for unmapped "
            "gid in a user namespace: /linux/gidMappings does not map gid 5");
  c.mounts = {{"/tmp", "tmpfs", "tmpfs", {"uid=65536", "gid=0"}, {}, {}}};
  EXPECT_EQ(violation(c), "");
  c.mounts[0].options[0] = "uid=65537";
  EXPECT_EQ(violation(c),
            "config.json: /mounts/0/options/0: cannot specify uid= mount options for unmapped "
            "uid in a user namespace: /linux/uidMappings does not map uid 65537");
  c.linux->namespaces = {{NamespaceType::mount, ""}};  // no user namespace: host ids
  c.linux->uidMappings.clear();
  c.linux->gidMappings.clear();
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, WithoutAUserNamespaceSysfsNeedsNoNetworkNamespace) {
  Config c = valid_config({NamespaceType::mount});
  c.mounts = {{"/sys", "sysfs", "sysfs", {}, {}, {}}, {"/proc", "proc", "proc", {}, {}, {}}};
  EXPECT_EQ(violation(c), "");
}

TEST(Validate, Devices) {
  Config c = valid_config();
  c.linux->devices = {{"c", "/dev/fuse", 10, 229, {}, {}, {}},
                      {"p", "/dev/fifo", 0, 0, {}, {}, {}},
                      {"b", "/dev/sda", 8, 0, {}, {}, {}},
                      {"u", "/dev/u", 1, 1, {}, {}, {}}};
  EXPECT_EQ(violation(c), "");
  c.linux->devices[2].type = "x";
  EXPECT_EQ(violation(c), "config.json: /linux/devices/2/type: invalid device type \"x\"");
  c.linux->devices[2].type = "b";
  c.linux->devices[3].path = "dev/u";
  EXPECT_EQ(violation(c),
            "config.json: /linux/devices/3/path: device path must be an absolute path");
}

// ---- seccomp, propagation ---------------------------------------------------------------------

Config with_seccomp() {
  Config c = valid_config();
  c.linux->seccomp = Seccomp{};
  Seccomp& s = *c.linux->seccomp;
  s.defaultAction = "SCMP_ACT_ERRNO";
  s.architectures = {"SCMP_ARCH_X86_64",  "SCMP_ARCH_X86",     "SCMP_ARCH_X32",
                     "SCMP_ARCH_AARCH64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_MIPSEL64N32",
                     "SCMP_ARCH_S390X"};
  s.flags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
             "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  s.syscalls = {{{"read"}, "SCMP_ACT_ALLOW", std::nullopt, {}},
                {{"personality"}, "SCMP_ACT_ALLOW", std::nullopt, {{0, 8, 0, "SCMP_CMP_EQ"}}},
                {{"mkdir"}, "SCMP_ACT_LOG", std::nullopt, {}}};
  return c;
}

TEST(ValidateSeccomp, ValidProfilePasses) {
  EXPECT_EQ(violation(with_seccomp()), "");
}

TEST(ValidateSeccomp, EveryActionIsKnown) {
  for (const char* action :
       {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
        "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"}) {
    Config c = with_seccomp();
    c.linux->seccomp->defaultAction = action;
    c.linux->seccomp->syscalls[2].action = action;
    EXPECT_EQ(violation(c), "") << action;
  }
}

TEST(ValidateSeccomp, UnknownDefaultAction) {
  Config c = with_seccomp();
  c.linux->seccomp->defaultAction = "SCMP_ACT_NOPE";
  EXPECT_EQ(violation(c),
            "config.json: /linux/seccomp/defaultAction: unknown seccomp action \"SCMP_ACT_NOPE\"");
}

TEST(ValidateSeccomp, UnknownSyscallAction) {
  Config c = with_seccomp();
  c.linux->seccomp->syscalls[2].action = "X";
  EXPECT_EQ(violation(c),
            "config.json: /linux/seccomp/syscalls/2/action: unknown seccomp action \"X\"");
}

TEST(ValidateSeccomp, Operators) {
  for (const char* op : {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
                         "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}) {
    Config c = with_seccomp();
    c.linux->seccomp->syscalls[1].args[0].op = op;
    EXPECT_EQ(violation(c), "") << op;
  }
  Config c = with_seccomp();
  c.linux->seccomp->syscalls[1].args[0].op = "SCMP_CMP_XX";
  EXPECT_EQ(violation(c),
            "config.json: /linux/seccomp/syscalls/1/args/0/op: unknown seccomp "
            "operator \"SCMP_CMP_XX\"");
}

TEST(ValidateSeccomp, Architectures) {
  Config c = with_seccomp();
  c.linux->seccomp->architectures = {
      "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
      "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
      "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
      "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
      "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64"};
  EXPECT_EQ(violation(c), "");
  c.linux->seccomp->architectures.push_back("SCMP_ARCH_VAX");
  EXPECT_EQ(violation(c),
            "config.json: /linux/seccomp/architectures/19: unknown seccomp "
            "architecture \"SCMP_ARCH_VAX\"");
}

TEST(ValidateSeccomp, Flags) {
  Config c = with_seccomp();
  c.linux->seccomp->flags = {"SECCOMP_FILTER_FLAG_NEW_LISTENER"};
  EXPECT_EQ(violation(c),
            "config.json: /linux/seccomp/flags/0: unknown seccomp flag "
            "\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"");
}

TEST(Validate, RootfsPropagation) {
  for (const char* mode : {"", "private", "rprivate", "slave", "rslave", "shared", "rshared",
                           "unbindable", "runbindable"}) {
    Config c = valid_config();
    c.linux->rootfsPropagation = mode;
    EXPECT_EQ(violation(c), "") << mode;
  }
  Config c = valid_config();
  c.linux->rootfsPropagation = "rshared,ro";
  EXPECT_EQ(violation(c),
            "config.json: /linux/rootfsPropagation: invalid rootfs propagation \"rshared,ro\"");
}

TEST(Validate, FirstBrokenRuleWins) {
  Config c = valid_config({NamespaceType::pid});
  c.hostname = "h";
  c.linux->sysctl["kernel.panic"] = "1";
  c.linux->rootfsPropagation = "bogus";
  EXPECT_EQ(violation(c),
            "config.json: /linux/sysctl/kernel.panic: sysctl \"kernel.panic\" is not "
            "in a separate kernel namespace");
}

// ---- container IDs ----------------------------------------------------------------------------

TEST(ContainerId, RuncCharset) {
  for (const char* id : {"a", "abc-DEF_123", "x.y+z", "...", "a..b", "0"})
    EXPECT_TRUE(is_valid_container_id(id)) << id;
  for (const char* id : {"", ".", "..", "a/b", "a b", "a:b", "ä", "a\n", "../x", "a*"})
    EXPECT_FALSE(is_valid_container_id(id)) << id;
}

TEST(ContainerId, LengthLimit) {
  EXPECT_TRUE(is_valid_container_id(std::string(1024, 'a')));
  EXPECT_FALSE(is_valid_container_id(std::string(1025, 'a')));
}

}  // namespace
}  // namespace minirun::spec
