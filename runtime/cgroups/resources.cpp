#include "runtime/cgroups/resources.hpp"

#include <map>

#include "runtime/sys/file.hpp"

namespace minirun::runtime {

namespace {

// What an error names for each controller's part of linux.resources.
std::string resource_name(std::string_view controller) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"cpuset", "cpu.cpus/cpu.mems"},
      {"cpu", "cpu"},
      {"memory", "memory"},
      {"pids", "pids"},
      {"blkio", "blockIO"},
      {"hugetlb", "hugepageLimits"},
      {"devices", "devices"},
      {"net_cls", "network.classID"},
      {"net_prio", "network.priorities"},
      {"rdma", "rdma"}};
  auto it = kNames.find(controller);
  return "linux.resources." + (it == kNames.end() ? std::string(controller) : it->second);
}

sys::Error unavailable(std::string_view controller, const std::string& scope) {
  return sys::Error::plain("cgroup", "cgroup controller \"" + std::string(controller) +
                                         "\" is not available " + scope + " (needed by " +
                                         resource_name(controller) + ")");
}

// "No limit" asks nothing of a controller: fine when the host lacks it.
bool asks_something(const std::vector<CgroupWrite>& writes) {
  for (const auto& w : writes)
    if (w.value != "-1" && w.value != "max") return true;
  return false;
}

spec::DeviceCgroupRule allow(const char* type, std::optional<int64_t> major,
                             std::optional<int64_t> minor, const char* access = "rwm") {
  return {true, type, major, minor, access};
}

}  // namespace

const std::vector<std::string>& resource_controllers() {
  static const std::vector<std::string> kControllers = {"cpuset",   "cpu",     "memory",  "pids",
                                                        "blkio",    "hugetlb", "devices", "net_cls",
                                                        "net_prio", "rdma"};
  return kControllers;
}

void cpuset_writes(const spec::Resources& r, std::vector<CgroupWrite>& out) {
  if (!r.cpu) return;
  if (!r.cpu->cpus.empty()) out.push_back({"cpuset.cpus", r.cpu->cpus, "", ""});
  if (!r.cpu->mems.empty()) out.push_back({"cpuset.mems", r.cpu->mems, "", ""});
}

void pids_writes(const spec::Resources& r, std::vector<CgroupWrite>& out) {
  if (!r.pidsLimit || *r.pidsLimit == 0) return;
  out.push_back({"pids.max", *r.pidsLimit > 0 ? std::to_string(*r.pidsLimit) : "max", "", ""});
}

void rdma_writes(const spec::Resources& r, std::vector<CgroupWrite>& out) {
  for (const auto& [device, limit] : r.rdma) {
    std::string value = device;
    if (limit.hcaHandles) value += " hca_handle=" + std::to_string(*limit.hcaHandles);
    if (limit.hcaObjects) value += " hca_object=" + std::to_string(*limit.hcaObjects);
    if (limit.hcaHandles || limit.hcaObjects) out.push_back({"rdma.max", value, "", ""});
  }
}

std::string major_minor(int64_t major, int64_t minor) {
  return std::to_string(major) + ":" + std::to_string(minor);
}

std::vector<spec::DeviceCgroupRule> effective_device_rules(const spec::Linux& linux) {
  const auto* resources = linux.resources ? &*linux.resources : nullptr;
  if (!resources || resources->devices.empty()) return {};
  std::vector<spec::DeviceCgroupRule> rules = resources->devices;
  for (const auto& d : linux.devices)
    if (d.type == "c" || d.type == "b" || d.type == "u")
      rules.push_back({true, d.type == "b" ? "b" : "c", d.major, d.minor, "rwm"});
  const std::vector<spec::DeviceCgroupRule> defaults = {allow("c", std::nullopt, std::nullopt, "m"),
                                                        allow("b", std::nullopt, std::nullopt, "m"),
                                                        allow("c", 1, 3),
                                                        allow("c", 1, 5),
                                                        allow("c", 1, 7),
                                                        allow("c", 1, 8),
                                                        allow("c", 1, 9),
                                                        allow("c", 5, 0),
                                                        allow("c", 5, 1),
                                                        allow("c", 5, 2),
                                                        allow("c", 136, std::nullopt),
                                                        allow("c", 10, 200)};
  rules.insert(rules.end(), defaults.begin(), defaults.end());
  return rules;
}

bool needs_v2_device_program(const CgroupLayout& layout, const spec::Resources& resources) {
  return !resources.devices.empty() && layout.paths.count("devices") == 0 &&
         layout.paths.count(kUnifiedKey) > 0;
}

sys::Result<std::vector<DirWrite>> plan_resource_writes(const CgroupLayout& layout,
                                                        const spec::Resources& resources) {
  std::vector<DirWrite> out;
  auto unified = layout.paths.find(kUnifiedKey);
  for (const auto& controller : resource_controllers()) {
    auto v1_writes = v1_controller_writes(controller, resources);
    if (!v1_writes) return v1_writes.error();
    if (auto v1 = layout.paths.find(controller); v1 != layout.paths.end()) {
      for (auto& w : *v1_writes) out.push_back({v1->second, std::move(w)});
      continue;
    }
    if (controller == "devices") {
      if (!needs_v2_device_program(layout, resources) && !resources.devices.empty())
        return unavailable(controller, layout.scope);
      continue;
    }
    auto v2_writes = v2_controller_writes(controller, resources);
    if (!v2_writes) return v2_writes.error();
    std::string v2_name = controller == "blkio" ? "io" : controller;
    bool in_v2 = unified != layout.paths.end() && layout.v2_controllers.count(v2_name) > 0;
    if (in_v2 && (!v2_writes->empty() || v1_writes->empty())) {
      for (auto& w : *v2_writes) out.push_back({unified->second, std::move(w)});
      continue;
    }
    if (asks_something(*v1_writes) || asks_something(*v2_writes))
      return unavailable(controller, layout.scope);
  }
  for (const auto& [key, value] : resources.unified) {
    if (unified == layout.paths.end())
      return sys::Error::plain("cgroup", "linux.resources.unified \"" + key +
                                             "\" needs cgroup v2, which this host lacks");
    std::string controller = key.substr(0, key.find('.'));
    if (controller != "cgroup" && layout.v2_controllers.count(controller) == 0)
      return sys::Error::plain("cgroup", "linux.resources.unified \"" + key +
                                             "\": cgroup v2 controller \"" + controller +
                                             "\" is not available " + layout.scope);
    if (key.find('/') != std::string::npos || key.find('.') == std::string::npos)
      return sys::Error::plain("cgroup", "linux.resources.unified: invalid key \"" + key + "\"");
    out.push_back({unified->second, {key, value, "", ""}});
  }
  return out;
}

sys::Status apply_writes(const std::vector<DirWrite>& writes) {
  for (const auto& [dir, w] : writes) {
    auto written = sys::write_file(dir + "/" + w.file, w.value, "cgroup");
    if (!written && written.error().errnum == ENOENT && !w.fallback_file.empty())
      written = sys::write_file(dir + "/" + w.fallback_file, w.fallback_value, "cgroup");
    if (!written) {
      sys::Error e = written.error();
      e.message += " (value \"" + w.value + "\")";
      return e;
    }
  }
  return {};
}

}  // namespace minirun::runtime
