#include "spec/state.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "spec/parse.hpp"
#include "spec/parse_json.hpp"
#include "spec/resources_json.hpp"

namespace minirun::spec {

namespace {

// Go's encoding/json writes a byte that is not UTF-8 as U+FFFD, where nlohmann would throw (and
// abort us mid-create): a bundle path, a rootfs symlink's target or a message can hold any byte.
std::string dumped(const nlohmann::ordered_json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::ordered_json printable(const State& s) {
  nlohmann::ordered_json j;
  j["ociVersion"] = s.ociVersion;
  j["id"] = s.id;
  j["pid"] = s.pid;
  j["status"] = std::string(to_string(s.status));
  j["bundle"] = s.bundle;
  j["rootfs"] = s.rootfs;
  j["created"] = s.created;
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  j["owner"] = s.owner;
  return j;
}

nlohmann::ordered_json hooks_json(const std::vector<Hook>& hooks) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& h : hooks) {
    nlohmann::ordered_json j;
    j["path"] = h.path;
    if (!h.args.empty()) j["args"] = h.args;
    if (!h.env.empty()) j["env"] = h.env;
    if (h.timeout) j["timeout"] = *h.timeout;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

std::string state_to_json(const State& state) {
  return dumped(printable(state), 2);
}

std::string state_to_compact_json(const State& state) {
  return dumped(printable(state));
}

std::string state_to_stored_json(const State& state) {
  auto j = printable(state);
  j["init_start_time"] = state.init_start_time;
  if (!state.cgroup_paths.empty()) j["cgroup_paths"] = state.cgroup_paths;
  if (!state.cgroup_driver.empty()) j["cgroup_driver"] = state.cgroup_driver;
  if (state.late_hooks) {
    // Only the kinds there are: most containers have none, and `list` reads every file.
    auto& kept = j["late_hooks"] = nlohmann::ordered_json::object();
    if (!state.late_hooks->poststart.empty())
      kept["poststart"] = hooks_json(state.late_hooks->poststart);
    if (!state.late_hooks->poststop.empty())
      kept["poststop"] = hooks_json(state.late_hooks->poststop);
  }
  if (state.creator_pid != 0) {
    j["creator_pid"] = state.creator_pid;
    j["creator_start_time"] = state.creator_start_time;
  }
  if (state.rootfs_mount_below) j["rootfs_mount_below"] = *state.rootfs_mount_below;
  if (state.resources) j["resources"] = resources_json(*state.resources);
  if (!state.config.empty()) j["config"] = state.config;
  return dumped(j);
}

namespace {

// state.json is ours, but a damaged one must say so, not crash: every field is checked.
[[noreturn]] void damaged(const std::string& what) {
  throw std::runtime_error("damaged state.json: " + what);
}

const json::Value* member(const json::Value& object, std::string_view key) {
  const json::Value* v = object.find(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

std::string string_at(const json::Value& object, std::string_view key, bool required = true) {
  const json::Value* v = member(object, key);
  if (v == nullptr) {
    if (required) damaged("no \"" + std::string(key) + "\"");
    return "";
  }
  if (!v->is_string()) damaged("\"" + std::string(key) + "\" is not a string");
  return v->string();
}

uint64_t unsigned_at(const json::Value& object, std::string_view key, bool required = true) {
  const json::Value* v = member(object, key);
  if (v == nullptr) {
    if (required) damaged("no \"" + std::string(key) + "\"");
    return 0;
  }
  if (!v->is_number_unsigned()) damaged("\"" + std::string(key) + "\" is not a number");
  return v->unsigned_integer();
}

pid_t pid_at(const json::Value& object, std::string_view key, bool required = true) {
  uint64_t pid = unsigned_at(object, key, required);
  if (pid > static_cast<uint64_t>(std::numeric_limits<pid_t>::max()))
    damaged("\"" + std::string(key) + "\" out of range");
  return static_cast<pid_t>(pid);
}

ContainerStatus status_at(const json::Value& object, std::string_view key) {
  auto status = container_status_from(string_at(object, key));
  if (!status) damaged("\"" + std::string(key) + "\" is not a container status");
  return *status;
}

std::map<std::string, std::string> string_map_at(const json::Value& object, std::string_view key) {
  std::map<std::string, std::string> out;
  const json::Value* v = member(object, key);
  if (v == nullptr) return out;
  if (!v->is_object()) damaged("\"" + std::string(key) + "\" is not an object");
  for (const auto& [name, value] : v->members()) {
    if (!value.is_string()) damaged("\"" + std::string(key) + "\" holds a non-string");
    out.insert_or_assign(name, value.string());
  }
  return out;
}

}  // namespace

State state_from_stored_json(const std::string& text) {
  json::Value j;
  try {
    j = json::parse(text);
  } catch (const json::ParseError& e) {
    damaged(e.what());
  }
  if (!j.is_object()) damaged("not an object");
  State s;
  s.ociVersion = string_at(j, "ociVersion");
  s.id = string_at(j, "id");
  s.pid = pid_at(j, "pid");
  s.status = status_at(j, "status");
  s.bundle = string_at(j, "bundle");
  s.rootfs = string_at(j, "rootfs");
  s.created = string_at(j, "created");
  s.owner = string_at(j, "owner", false);
  s.annotations = string_map_at(j, "annotations");
  s.init_start_time = unsigned_at(j, "init_start_time", false);
  s.cgroup_paths = string_map_at(j, "cgroup_paths");
  s.cgroup_driver = string_at(j, "cgroup_driver", false);
  s.creator_pid = pid_at(j, "creator_pid", false);
  s.creator_start_time = unsigned_at(j, "creator_start_time", false);
  if (const json::Value* kept = member(j, "late_hooks")) {
    try {
      s.late_hooks = hooks_from_json(*kept);
    } catch (const ConfigError& e) {
      damaged("hooks: " + e.detail());
    }
  }
  if (member(j, "rootfs_mount_below")) s.rootfs_mount_below = unsigned_at(j, "rootfs_mount_below");
  if (const json::Value* kept = member(j, "resources")) {
    try {
      s.resources = resources_from_json(*kept);
    } catch (const ConfigError& e) {
      damaged("resources: " + (e.pointer().empty() ? "" : e.pointer() + ": ") + e.detail());
    }
  }
  s.config = string_at(j, "config", false);
  return s;
}

std::string json_log_line(const std::string& level, const std::string& msg,
                          const std::string& time) {
  nlohmann::ordered_json j;
  j["level"] = level;
  j["msg"] = msg;
  j["time"] = time;
  return dumped(j);
}

std::string json_trace_line(const std::string& step, const std::string& detail, long micros,
                            int pid, const std::string& time) {
  nlohmann::ordered_json j;
  j["level"] = "debug";
  j["msg"] = detail.empty() ? step : step + " " + detail;
  j["step"] = step;
  j["us"] = micros;
  j["pid"] = pid;
  j["time"] = time;
  return dumped(j);
}

}  // namespace minirun::spec
