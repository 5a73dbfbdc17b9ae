// config.json -> spec::Config. Every value is read through a small typed reader that knows the
// JSON pointer of what it reads, so each error names the exact place in the file.
#include "spec/parse.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <type_traits>

#include "spec/hook_kinds.hpp"
#include "spec/json_reader.hpp"
#include "spec/namespace_kinds.hpp"
#include "spec/parse_json.hpp"
#include "spec/text.hpp"

namespace minirun::spec {

namespace {

using JsonValue = json::Value;

std::string error_line(const std::string& pointer, const std::string& detail) {
  if (pointer.empty()) return "config.json: " + detail;
  return "config.json: " + pointer + ": " + detail;
}

[[noreturn]] void fail(const std::string& pointer, const std::string& detail) {
  throw ConfigError(pointer, detail);
}

// Where a value sits in the document. Its JSON pointer is spelled out only when an error
// names it: made eagerly, it was a string built for every field of every config (about half
// of the time to read a config).
class Where {
 public:
  Where() = default;  // the document itself
  Where(const Where& parent, std::string_view key) : parent_(&parent), key_(key) {}
  Where(const Where& parent, size_t index) : parent_(&parent), index_(index), is_index_(true) {}

  std::string pointer() const {
    if (parent_ == nullptr) return "";
    return is_index_ ? json_pointer_child(parent_->pointer(), index_)
                     : json_pointer_child(parent_->pointer(), key_);
  }

 private:
  const Where* parent_ = nullptr;
  std::string_view key_;  // a literal field name, or a key owned by the document
  size_t index_ = 0;
  bool is_index_ = false;
};

[[noreturn]] void fail(const Where& where, const std::string& detail) {
  fail(where.pointer(), detail);
}

// ---- scalar readers: (value, pointer) -> T --------------------------------------------------

std::string read_string(const JsonValue& v, const Where& ptr) {
  if (!v.is_string()) fail(ptr, "expected a string");
  return v.string();
}

bool read_bool(const JsonValue& v, const Where& ptr) {
  if (!v.is_boolean()) fail(ptr, "expected a boolean");
  return v.boolean();
}

template <typename T>
std::string integer_expectation() {
  std::string bits = std::to_string(std::numeric_limits<T>::digits + std::is_signed_v<T>);
  if constexpr (std::is_signed_v<T>) return "expected a " + bits + "-bit integer";
  return "expected an unsigned " + bits + "-bit integer";
}

// Go's encoding/json is the reference: no fractions, no out-of-range values, no negative
// numbers for unsigned fields.
template <typename T>
T read_integer(const JsonValue& v, const Where& ptr) {
  if (v.is_number_unsigned()) {
    auto n = v.unsigned_integer();
    if (n <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(n);
  } else if (v.is_number_integer()) {
    auto n = v.negative_integer();
    if constexpr (std::is_signed_v<T>) {
      if (n >= std::numeric_limits<T>::min() && n <= std::numeric_limits<T>::max())
        return static_cast<T>(n);
    }
  }
  fail(ptr, integer_expectation<T>());
}

// ---- composite readers ----------------------------------------------------------------------

// A JSON object plus its pointer; fields are read by name with a reader.
// null counts as absent, as it does for Go's encoding/json.
class Object {
 public:
  Object(const JsonValue& v, const Where& ptr) : v_(v), ptr_(ptr) {
    if (!v_.is_object()) fail(ptr_, "expected an object");
  }

  bool has(std::string_view key) const { return find(key) != nullptr; }

  template <typename T, typename Reader>
  void optional(std::string_view key, T& out, Reader read) const {
    if (const JsonValue* v = find(key)) out = read(*v, Where(ptr_, key));
  }

  template <typename T, typename Reader>
  void required(std::string_view key, T& out, Reader read) const {
    const JsonValue* v = find(key);
    if (!v) fail(Where(ptr_, key), "missing required field");
    out = read(*v, Where(ptr_, key));
  }

 private:
  const JsonValue* find(std::string_view key) const {
    const JsonValue* v = v_.find(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }

  const JsonValue& v_;
  const Where& ptr_;
};

template <typename Reader>
auto array_of(Reader read) {
  return [read](const JsonValue& v, const Where& ptr) {
    using T = decltype(read(v, ptr));
    if (!v.is_array()) fail(ptr, "expected an array");
    const auto& elements = v.elements();
    std::vector<T> out;
    out.reserve(elements.size());
    for (size_t i = 0; i < elements.size(); ++i) out.push_back(read(elements[i], Where(ptr, i)));
    return out;
  };
}

template <typename Reader>
auto map_of(Reader read) {
  return [read](const JsonValue& v, const Where& ptr) {
    using T = decltype(read(v, ptr));
    if (!v.is_object()) fail(ptr, "expected an object");
    std::map<std::string, T> out;
    // The last of duplicate keys counts, as in Value::find.
    for (const auto& [key, value] : v.members())
      out.insert_or_assign(key, read(value, Where(ptr, key)));
    return out;
  };
}

const auto read_u16 = read_integer<uint16_t>;
const auto read_u32 = read_integer<uint32_t>;
const auto read_i32 = read_integer<int32_t>;
const auto read_u64 = read_integer<uint64_t>;
const auto read_i64 = read_integer<int64_t>;
const auto read_strings = array_of(read_string);
// Any value: only its presence is kept (a field minirun refuses rather than ignores).
const auto read_presence = [](const JsonValue&, const Where&) { return true; };
const auto read_string_map = map_of(read_string);

// ---- the spec's objects ---------------------------------------------------------------------

IdMapping read_id_mapping(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  IdMapping m;
  o.required("containerID", m.containerID, read_u32);
  o.required("hostID", m.hostID, read_u32);
  o.required("size", m.size, read_u32);
  return m;
}
const auto read_id_mappings = array_of(read_id_mapping);

Root read_root(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Root r;
  o.required("path", r.path, read_string);
  o.optional("readonly", r.readonly, read_bool);
  return r;
}

Mount read_mount(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Mount m;
  o.required("destination", m.destination, read_string);
  o.optional("type", m.type, read_string);
  o.optional("source", m.source, read_string);
  o.optional("options", m.options, read_strings);
  o.optional("uidMappings", m.uidMappings, read_id_mappings);
  o.optional("gidMappings", m.gidMappings, read_id_mappings);
  return m;
}

ConsoleSize read_console_size(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  ConsoleSize c;
  o.required("height", c.height, read_u32);
  o.required("width", c.width, read_u32);
  return c;
}

User read_user(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  User u;
  o.required("uid", u.uid, read_u32);
  o.required("gid", u.gid, read_u32);
  o.optional("umask", u.umask, read_u32);
  o.optional("additionalGids", u.additionalGids, array_of(read_u32));
  o.optional("username", u.username, read_string);
  return u;
}

Capabilities read_capabilities(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Capabilities c;
  o.optional("bounding", c.bounding, read_strings);
  o.optional("effective", c.effective, read_strings);
  o.optional("inheritable", c.inheritable, read_strings);
  o.optional("permitted", c.permitted, read_strings);
  o.optional("ambient", c.ambient, read_strings);
  return c;
}

Rlimit read_rlimit(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Rlimit r;
  o.required("type", r.type, read_string);
  o.required("hard", r.hard, read_u64);
  o.required("soft", r.soft, read_u64);
  return r;
}

IoPriority read_io_priority(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  IoPriority p;
  o.required("class", p.ioprioClass, read_string);
  o.optional("priority", p.priority, read_i32);
  return p;
}

Scheduler read_scheduler(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Scheduler s;
  o.required("policy", s.policy, read_string);
  o.optional("nice", s.nice, read_i32);
  o.optional("priority", s.priority, read_i32);
  o.optional("flags", s.flags, read_strings);
  o.optional("runtime", s.runtime, read_u64);
  o.optional("deadline", s.deadline, read_u64);
  o.optional("period", s.period, read_u64);
  return s;
}

Process read_process(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Process p;
  o.optional("terminal", p.terminal, read_bool);
  o.optional("consoleSize", p.consoleSize, read_console_size);
  // runc accepts a process without "user" (uid/gid 0); when present, uid and gid are required.
  o.optional("user", p.user, read_user);
  o.required("args", p.args, read_strings);
  o.optional("commandLine", p.commandLine, read_string);
  o.optional("env", p.env, read_strings);
  o.required("cwd", p.cwd, read_string);
  o.optional("capabilities", p.capabilities, read_capabilities);
  o.optional("rlimits", p.rlimits, array_of(read_rlimit));
  o.optional("noNewPrivileges", p.noNewPrivileges, read_bool);
  o.optional("oomScoreAdj", p.oomScoreAdj, read_i32);
  o.optional("apparmorProfile", p.apparmorProfile, read_string);
  o.optional("selinuxLabel", p.selinuxLabel, read_string);
  o.optional("ioPriority", p.ioPriority, read_io_priority);
  o.optional("scheduler", p.scheduler, read_scheduler);
  o.optional("execCPUAffinity", p.execCPUAffinity, read_presence);
  return p;
}

Hook read_hook(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Hook h;
  o.required("path", h.path, read_string);
  o.optional("args", h.args, read_strings);
  o.optional("env", h.env, read_strings);
  o.optional("timeout", h.timeout, read_i32);
  return h;
}

Hooks read_hooks(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  const auto read_list = array_of(read_hook);
  Hooks h;
  for (const auto& kind : hook_kinds()) o.optional(kind.name, h.*kind.list, read_list);
  return h;
}

NamespaceType read_namespace_type(const JsonValue& v, const Where& ptr) {
  std::string name = read_string(v, ptr);
  auto type = namespace_type_from_name(name);
  if (!type) fail(ptr, "unknown namespace type \"" + name + "\"");
  return *type;
}

Namespace read_namespace(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Namespace ns;
  o.required("type", ns.type, read_namespace_type);
  o.optional("path", ns.path, read_string);
  return ns;
}

TimeOffset read_time_offset(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  TimeOffset t;
  o.optional("secs", t.secs, read_i64);
  o.optional("nanosecs", t.nanosecs, read_u32);
  return t;
}

Device read_device(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Device d;
  o.required("type", d.type, read_string);
  o.required("path", d.path, read_string);
  // The spec requires major/minor for every type but "p"; the struct cannot say "absent",
  // so presence is checked here.
  if (d.type == "p") {
    o.optional("major", d.major, read_i64);
    o.optional("minor", d.minor, read_i64);
  } else {
    o.required("major", d.major, read_i64);
    o.required("minor", d.minor, read_i64);
  }
  o.optional("fileMode", d.fileMode, read_u32);
  o.optional("uid", d.uid, read_u32);
  o.optional("gid", d.gid, read_u32);
  return d;
}

DeviceCgroupRule read_device_rule(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  DeviceCgroupRule r;
  o.required("allow", r.allow, read_bool);
  o.optional("type", r.type, read_string);
  o.optional("major", r.major, read_i64);
  o.optional("minor", r.minor, read_i64);
  o.optional("access", r.access, read_string);
  return r;
}

MemoryResources read_memory(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  MemoryResources m;
  o.optional("limit", m.limit, read_i64);
  o.optional("reservation", m.reservation, read_i64);
  o.optional("swap", m.swap, read_i64);
  o.optional("kernel", m.kernel, read_i64);
  o.optional("kernelTCP", m.kernelTCP, read_i64);
  o.optional("swappiness", m.swappiness, read_u64);
  o.optional("disableOOMKiller", m.disableOOMKiller, read_bool);
  o.optional("useHierarchy", m.useHierarchy, read_bool);
  o.optional("checkBeforeUpdate", m.checkBeforeUpdate, read_bool);
  return m;
}

CpuResources read_cpu(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  CpuResources c;
  o.optional("shares", c.shares, read_u64);
  o.optional("quota", c.quota, read_i64);
  o.optional("burst", c.burst, read_u64);
  o.optional("period", c.period, read_u64);
  o.optional("realtimeRuntime", c.realtimeRuntime, read_i64);
  o.optional("realtimePeriod", c.realtimePeriod, read_u64);
  o.optional("cpus", c.cpus, read_string);
  o.optional("mems", c.mems, read_string);
  o.optional("idle", c.idle, read_i64);
  return c;
}

std::optional<int64_t> read_pids_limit(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  std::optional<int64_t> limit;
  o.optional("limit", limit, read_i64);
  return limit;
}

WeightDevice read_weight_device(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  WeightDevice d;
  o.required("major", d.major, read_i64);
  o.required("minor", d.minor, read_i64);
  o.optional("weight", d.weight, read_u16);
  o.optional("leafWeight", d.leafWeight, read_u16);
  return d;
}

ThrottleDevice read_throttle_device(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  ThrottleDevice d;
  o.required("major", d.major, read_i64);
  o.required("minor", d.minor, read_i64);
  o.required("rate", d.rate, read_u64);
  return d;
}

BlockIoResources read_block_io(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  const auto read_throttles = array_of(read_throttle_device);
  BlockIoResources b;
  o.optional("weight", b.weight, read_u16);
  o.optional("leafWeight", b.leafWeight, read_u16);
  o.optional("weightDevice", b.weightDevice, array_of(read_weight_device));
  o.optional("throttleReadBpsDevice", b.throttleReadBpsDevice, read_throttles);
  o.optional("throttleWriteBpsDevice", b.throttleWriteBpsDevice, read_throttles);
  o.optional("throttleReadIOPSDevice", b.throttleReadIOPSDevice, read_throttles);
  o.optional("throttleWriteIOPSDevice", b.throttleWriteIOPSDevice, read_throttles);
  return b;
}

HugepageLimit read_hugepage_limit(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  HugepageLimit h;
  o.required("pageSize", h.pageSize, read_string);
  o.required("limit", h.limit, read_u64);
  return h;
}

InterfacePriority read_interface_priority(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  InterfacePriority p;
  o.required("name", p.name, read_string);
  o.required("priority", p.priority, read_u32);
  return p;
}

NetworkResources read_network(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  NetworkResources n;
  o.optional("classID", n.classID, read_u32);
  o.optional("priorities", n.priorities, array_of(read_interface_priority));
  return n;
}

RdmaLimit read_rdma_limit(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  RdmaLimit r;
  o.optional("hcaHandles", r.hcaHandles, read_u32);
  o.optional("hcaObjects", r.hcaObjects, read_u32);
  return r;
}

Resources read_resources(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Resources r;
  o.optional("devices", r.devices, array_of(read_device_rule));
  o.optional("memory", r.memory, read_memory);
  o.optional("cpu", r.cpu, read_cpu);
  o.optional("pids", r.pidsLimit, read_pids_limit);
  o.optional("blockIO", r.blockIO, read_block_io);
  o.optional("hugepageLimits", r.hugepageLimits, array_of(read_hugepage_limit));
  o.optional("network", r.network, read_network);
  o.optional("rdma", r.rdma, map_of(read_rdma_limit));
  o.optional("unified", r.unified, read_string_map);
  return r;
}

SeccompArg read_seccomp_arg(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  SeccompArg a;
  o.required("index", a.index, read_u32);
  o.required("value", a.value, read_u64);
  o.optional("valueTwo", a.valueTwo, read_u64);
  o.required("op", a.op, read_string);
  return a;
}

SeccompSyscall read_seccomp_syscall(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  SeccompSyscall s;
  o.required("names", s.names, read_strings);
  o.required("action", s.action, read_string);
  o.optional("errnoRet", s.errnoRet, read_u32);
  o.optional("args", s.args, array_of(read_seccomp_arg));
  return s;
}

Seccomp read_seccomp(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Seccomp s;
  o.required("defaultAction", s.defaultAction, read_string);
  o.optional("defaultErrnoRet", s.defaultErrnoRet, read_u32);
  o.optional("architectures", s.architectures, read_strings);
  o.optional("flags", s.flags, read_strings);
  o.optional("listenerPath", s.listenerPath, read_string);
  o.optional("listenerMetadata", s.listenerMetadata, read_string);
  o.optional("syscalls", s.syscalls, array_of(read_seccomp_syscall));
  return s;
}

Personality read_personality(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Personality p;
  o.required("domain", p.domain, read_string);
  o.optional("flags", p.flags, read_strings);
  return p;
}

NetDevice read_net_device(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  NetDevice d;
  o.optional("name", d.name, read_string);
  return d;
}

Linux read_linux(const JsonValue& v, const Where& ptr) {
  Object o(v, ptr);
  Linux l;
  o.optional("namespaces", l.namespaces, array_of(read_namespace));
  o.optional("uidMappings", l.uidMappings, read_id_mappings);
  o.optional("gidMappings", l.gidMappings, read_id_mappings);
  o.optional("timeOffsets", l.timeOffsets, map_of(read_time_offset));
  o.optional("devices", l.devices, array_of(read_device));
  o.optional("cgroupsPath", l.cgroupsPath, read_string);
  o.optional("resources", l.resources, read_resources);
  o.optional("rootfsPropagation", l.rootfsPropagation, read_string);
  o.optional("seccomp", l.seccomp, read_seccomp);
  o.optional("sysctl", l.sysctl, read_string_map);
  o.optional("maskedPaths", l.maskedPaths, read_strings);
  o.optional("readonlyPaths", l.readonlyPaths, read_strings);
  o.optional("mountLabel", l.mountLabel, read_string);
  o.optional("personality", l.personality, read_personality);
  o.optional("netDevices", l.netDevices, map_of(read_net_device));
  o.optional("intelRdt", l.intelRdt, read_presence);
  o.optional("memoryPolicy", l.memoryPolicy, read_presence);
  return l;
}

Config read_config(const JsonValue& v) {
  const Where document;
  Object o(v, document);
  Config c;
  o.required("ociVersion", c.ociVersion, read_string);
  o.optional("root", c.root, read_root);
  o.optional("mounts", c.mounts, array_of(read_mount));
  o.optional("process", c.process, read_process);
  o.optional("hostname", c.hostname, read_string);
  o.optional("domainname", c.domainname, read_string);
  o.optional("hooks", c.hooks, read_hooks);
  o.optional("annotations", c.annotations, read_string_map);
  o.optional("linux", c.linux, read_linux);
  return c;
}

JsonValue parse_document(std::string_view json_text) {
  try {
    return json::parse(json_text);
  } catch (const json::ParseError& e) {
    fail("", std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace

ConfigError::ConfigError(std::string pointer, std::string detail)
    : std::runtime_error(error_line(pointer, detail)),
      pointer_(std::move(pointer)),
      detail_(std::move(detail)) {}

std::string json_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char ch : token) {
    if (ch == '~')
      out += "~0";
    else if (ch == '/')
      out += "~1";
    else
      out += ch;
  }
  return out;
}

std::string json_pointer_child(std::string_view pointer, std::string_view key) {
  return std::string(pointer) + "/" + json_pointer_token(key);
}

std::string json_pointer_child(std::string_view pointer, size_t index) {
  return std::string(pointer) + "/" + std::to_string(index);
}

Config parse_config(std::string_view json_text) {
  return read_config(parse_document(json_text));
}

Process parse_process(std::string_view json_text) {
  return read_process(parse_document(json_text), Where());
}

Hooks hooks_from_json(const json::Value& value) {
  return read_hooks(value, Where());
}

Resources resources_from_json(const json::Value& value) {
  return read_resources(value, Where());
}

Resources parse_resources(std::string_view json_text) {
  return read_resources(parse_document(json_text), Where());
}

std::string read_bundle_file(const std::string& path) {
  const auto cannot = [&](const std::string& why) { fail("", "cannot read " + path + ": " + why); };
  struct stat st {};
  const auto not_regular = [&] {
    fail("", path + " is " + std::string(file_type_name(st.st_mode)) + ", not a regular file");
  };
  // stat first: open(2) would block on a FIFO, and opening a device may do something. The
  // fstat catches a file swapped in since, and O_NONBLOCK keeps that open from blocking.
  if (stat(path.c_str(), &st) < 0) cannot(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) not_regular();
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) cannot(std::strerror(errno));
  std::string text;
  int error = fstat(fd, &st) < 0 ? errno : 0;
  if (error == 0 && S_ISREG(st.st_mode)) {
    text.resize(static_cast<size_t>(st.st_size) + 1);
    size_t done = 0;
    for (;;) {
      if (done == text.size()) text.resize(2 * done);  // it grew since the fstat
      ssize_t n = read(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error = errno;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    text.resize(done);
  }
  close(fd);
  if (error != 0) cannot(std::strerror(error));
  if (!S_ISREG(st.st_mode)) not_regular();
  return text;
}

Config load_config(const std::string& path) {
  return parse_config(read_bundle_file(path));
}

}  // namespace minirun::spec
