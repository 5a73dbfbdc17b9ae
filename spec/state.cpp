#include "spec/state.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "spec/parse.hpp"
#include "spec/parse_json.hpp"

namespace minirun::spec {

namespace {

nlohmann::ordered_json printable(const State& s) {
  nlohmann::ordered_json j;
  j["ociVersion"] = s.ociVersion;
  j["id"] = s.id;
  j["pid"] = s.pid;
  j["status"] = s.status;
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
  return printable(state).dump(2);
}

std::string state_to_compact_json(const State& state) {
  return printable(state).dump();
}

std::string states_to_json_array(const std::vector<State>& states) {
  auto array = nlohmann::ordered_json::array();
  for (const auto& s : states) array.push_back(printable(s));
  return array.dump();
}

std::string state_to_stored_json(const State& state) {
  auto j = printable(state);
  j["init_start_time"] = state.init_start_time;
  if (!state.cgroup_paths.empty()) j["cgroup_paths"] = state.cgroup_paths;
  if (state.late_hooks) {
    // Only the kinds there are: most containers have none, and `list` reads every file.
    auto& kept = j["late_hooks"] = nlohmann::ordered_json::object();
    if (!state.late_hooks->poststart.empty())
      kept["poststart"] = hooks_json(state.late_hooks->poststart);
    if (!state.late_hooks->poststop.empty())
      kept["poststop"] = hooks_json(state.late_hooks->poststop);
  }
  return j.dump();
}

State state_from_stored_json(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    State s;
    s.ociVersion = j.at("ociVersion").get<std::string>();
    s.id = j.at("id").get<std::string>();
    s.pid = j.at("pid").get<pid_t>();
    s.status = j.at("status").get<std::string>();
    s.bundle = j.at("bundle").get<std::string>();
    s.rootfs = j.at("rootfs").get<std::string>();
    s.created = j.at("created").get<std::string>();
    s.owner = j.value("owner", "");
    if (j.contains("annotations"))
      s.annotations = j["annotations"].get<std::map<std::string, std::string>>();
    s.init_start_time = j.value("init_start_time", uint64_t{0});
    if (j.contains("cgroup_paths"))
      s.cgroup_paths = j["cgroup_paths"].get<std::map<std::string, std::string>>();
    if (auto kept = j.find("late_hooks"); kept != j.end())
      s.late_hooks = kept->empty() ? Hooks{} : hooks_from_json(*kept);
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("damaged state.json: ") + e.what());
  } catch (const ConfigError& e) {
    throw std::runtime_error(std::string("damaged state.json: hooks: ") + e.detail());
  }
}

std::string json_log_line(const std::string& level, const std::string& msg,
                          const std::string& time) {
  nlohmann::ordered_json j;
  j["level"] = level;
  j["msg"] = msg;
  j["time"] = time;
  return j.dump();
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
  return j.dump();
}

}  // namespace minirun::spec
