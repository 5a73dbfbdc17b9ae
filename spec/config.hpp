// The OCI runtime-spec (1.0 - 1.3) config.json as typed structs.
// Field names follow the spec's JSON names so a reader can map one to the other.
// An absent optional object is std::nullopt; an absent string is empty.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace minirun::spec {

struct Root {
  std::string path;
  bool readonly = false;
};

struct IdMapping {
  uint32_t containerID = 0;
  uint32_t hostID = 0;
  uint32_t size = 0;
};

struct Mount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;
  std::vector<IdMapping> uidMappings;
  std::vector<IdMapping> gidMappings;
};

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additionalGids;
  std::string username;  // Windows only; kept for completeness
};

struct Capabilities {
  std::vector<std::string> bounding;
  std::vector<std::string> effective;
  std::vector<std::string> inheritable;
  std::vector<std::string> permitted;
  std::vector<std::string> ambient;
};

struct Rlimit {
  std::string type;  // "RLIMIT_NOFILE"
  uint64_t hard = 0;
  uint64_t soft = 0;
};

struct ConsoleSize {
  uint32_t height = 0;
  uint32_t width = 0;
};

struct IoPriority {
  std::string ioprioClass;  // JSON "class": IOPRIO_CLASS_RT | _BE | _IDLE
  int32_t priority = 0;
};

struct Scheduler {
  std::string policy;  // SCHED_OTHER, SCHED_FIFO, ...
  int32_t nice = 0;
  int32_t priority = 0;
  std::vector<std::string> flags;
  uint64_t runtime = 0;
  uint64_t deadline = 0;
  uint64_t period = 0;
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> consoleSize;
  User user;
  std::vector<std::string> args;
  std::string commandLine;  // Windows only
  std::vector<std::string> env;
  std::string cwd;
  std::optional<Capabilities> capabilities;
  std::vector<Rlimit> rlimits;
  bool noNewPrivileges = false;
  std::optional<int32_t> oomScoreAdj;
  std::string apparmorProfile;
  std::string selinuxLabel;
  std::optional<IoPriority> ioPriority;
  std::optional<Scheduler> scheduler;
  bool execCPUAffinity = false;  // present; not implemented, so refused (spec/unsupported.hpp)
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int32_t> timeout;  // seconds, > 0
};

struct Hooks {
  std::vector<Hook> prestart;
  std::vector<Hook> createRuntime;
  std::vector<Hook> createContainer;
  std::vector<Hook> startContainer;
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;
};

enum class NamespaceType { pid, network, mount, ipc, uts, user, cgroup, time };

struct Namespace {
  NamespaceType type = NamespaceType::pid;
  std::string path;  // empty: create a new one
};

struct TimeOffset {
  int64_t secs = 0;
  uint32_t nanosecs = 0;
};

struct Device {
  std::string type;  // "c", "b", "u" or "p"
  std::string path;
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint32_t> fileMode;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
};

// linux.resources: parsed now so a bad value is reported up front; applied by the cgroup code.
struct DeviceCgroupRule {
  bool allow = false;
  std::string type;  // "a", "c" or "b"; empty means "a"
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::string access;  // some of "rwm"
};

struct MemoryResources {
  std::optional<int64_t> limit;
  std::optional<int64_t> reservation;
  std::optional<int64_t> swap;
  std::optional<int64_t> kernel;
  std::optional<int64_t> kernelTCP;
  std::optional<uint64_t> swappiness;
  std::optional<bool> disableOOMKiller;
  std::optional<bool> useHierarchy;
  std::optional<bool> checkBeforeUpdate;
};

struct CpuResources {
  std::optional<uint64_t> shares;
  std::optional<int64_t> quota;
  std::optional<uint64_t> burst;
  std::optional<uint64_t> period;
  std::optional<int64_t> realtimeRuntime;
  std::optional<uint64_t> realtimePeriod;
  std::string cpus;
  std::string mems;
  std::optional<int64_t> idle;
};

struct WeightDevice {
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leafWeight;
};

struct ThrottleDevice {
  int64_t major = 0;
  int64_t minor = 0;
  uint64_t rate = 0;
};

struct BlockIoResources {
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leafWeight;
  std::vector<WeightDevice> weightDevice;
  std::vector<ThrottleDevice> throttleReadBpsDevice;
  std::vector<ThrottleDevice> throttleWriteBpsDevice;
  std::vector<ThrottleDevice> throttleReadIOPSDevice;
  std::vector<ThrottleDevice> throttleWriteIOPSDevice;
};

struct HugepageLimit {
  std::string pageSize;  // "2MB"
  uint64_t limit = 0;
};

struct InterfacePriority {
  std::string name;
  uint32_t priority = 0;
};

struct NetworkResources {
  std::optional<uint32_t> classID;
  std::vector<InterfacePriority> priorities;
};

struct RdmaLimit {
  std::optional<uint32_t> hcaHandles;
  std::optional<uint32_t> hcaObjects;
};

struct Resources {
  std::vector<DeviceCgroupRule> devices;
  std::optional<MemoryResources> memory;
  std::optional<CpuResources> cpu;
  std::optional<int64_t> pidsLimit;  // JSON "pids": {"limit": N}
  std::optional<BlockIoResources> blockIO;
  std::vector<HugepageLimit> hugepageLimits;
  std::optional<NetworkResources> network;
  std::map<std::string, RdmaLimit> rdma;
  std::map<std::string, std::string> unified;
};

struct SeccompArg {
  uint32_t index = 0;
  uint64_t value = 0;
  uint64_t valueTwo = 0;
  std::string op;  // SCMP_CMP_EQ, ...
};

struct SeccompSyscall {
  std::vector<std::string> names;
  std::string action;  // SCMP_ACT_*
  std::optional<uint32_t> errnoRet;
  std::vector<SeccompArg> args;
};

struct Seccomp {
  std::string defaultAction;
  std::optional<uint32_t> defaultErrnoRet;
  std::vector<std::string> architectures;  // SCMP_ARCH_*
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::string listenerPath;
  std::string listenerMetadata;
  std::vector<SeccompSyscall> syscalls;
};

struct Personality {
  std::string domain;  // LINUX or LINUX32
  std::vector<std::string> flags;
};

struct NetDevice {
  std::string name;  // the name inside the container; empty keeps the host name
};

struct Linux {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uidMappings;
  std::vector<IdMapping> gidMappings;
  std::map<std::string, TimeOffset> timeOffsets;  // "monotonic", "boottime"
  std::vector<Device> devices;
  std::optional<std::string> cgroupsPath;
  std::optional<Resources> resources;
  std::string rootfsPropagation;
  std::optional<Seccomp> seccomp;
  std::map<std::string, std::string> sysctl;
  std::vector<std::string> maskedPaths;
  std::vector<std::string> readonlyPaths;
  std::string mountLabel;
  std::optional<Personality> personality;
  std::map<std::string, NetDevice> netDevices;  // key: host interface name
  // Present; not implemented, so refused (spec/unsupported.hpp).
  bool intelRdt = false;
  bool memoryPolicy = false;

  const Namespace* find_namespace(NamespaceType type) const {
    for (const auto& ns : namespaces)
      if (ns.type == type) return &ns;
    return nullptr;
  }
};

struct Config {
  std::string ociVersion;
  std::optional<Root> root;
  std::vector<Mount> mounts;
  std::optional<Process> process;
  std::string hostname;
  std::string domainname;
  std::optional<Hooks> hooks;
  std::map<std::string, std::string> annotations;
  std::optional<Linux> linux;
};

}  // namespace minirun::spec
