#include "runtime/cgroups/delegated_driver.hpp"

#include "runtime/sys/file.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "cgroup";

DelegatedStart read_start(const Delegation& place) {
  DelegatedStart start;
  start.offered = read_v2_controllers(place.existing);
  if (place.existing == place.dir) return start;
  start.passed_on = read_v2_subtree_control(place.existing);
  auto procs = sys::read_file(place.existing + "/cgroup.procs", kStep);
  start.holds_processes = procs && !spec::words(*procs).empty();
  return start;
}

class DelegatedCgroup2Driver final : public CgroupfsDriver {
 public:
  const char* name() const override { return "delegated"; }

  sys::Result<CgroupPlan> plan(const spec::Config& config, const std::string& id) const override {
    auto host = read_cgroup_host();
    if (!host) return host.error();
    const spec::Linux empty;
    const spec::Linux& linux = config.linux ? *config.linux : empty;
    auto place = find_delegation(*host, linux.cgroupsPath, id);
    if (!place) return place.error();
    return plan_delegated_cgroup(*place, read_start(*place), config);
  }
};

}  // namespace

sys::Result<CgroupPlan> plan_delegated_cgroup(const Delegation& place, const DelegatedStart& start,
                                              const spec::Config& config) {
  CgroupPlan plan;
  plan.host.unified = place.unified;
  plan.paths[kUnifiedKey] = place.dir;
  plan.v2_controllers = start.offered;
  spec::Resources resources;
  if (config.linux && config.linux->resources) resources = *config.linux->resources;
  resources.devices.clear();  // not enforced rootless: see the header
  if (start.holds_processes) {
    // The kernel refuses to pass a controller on from a cgroup with processes of its own
    // (EBUSY), so below the caller's own cgroup only what it passes on already is usable,
    // whatever the subtree offers: asked of every controller, what would the limits need?
    std::set<std::string> every;
    for (const auto& controller : resource_controllers())
      every.insert(controller == "blkio" ? "io" : controller);
    for (const auto& [key, value] : resources.unified) every.insert(key.substr(0, key.find('.')));
    auto wanted = plan_resource_writes(CgroupLayout{plan.paths, every}, resources);
    if (!wanted) return wanted.error();
    for (const auto& w : *wanted) {
      const std::string controller = w.write.file.substr(0, w.write.file.find('.'));
      if (controller == "cgroup" || start.passed_on.count(controller) > 0) continue;
      return sys::Error::plain(
          kStep, "cgroup controller \"" + controller + "\" cannot reach " + place.dir + ": " +
                     place.existing +
                     " holds processes, and cgroup2 passes no controller on from a cgroup "
                     "that does (set linux.cgroupsPath to a cgroup beside the caller's)");
    }
  }
  CgroupLayout layout{plan.paths, start.offered,
                      "in the delegated cgroup " + place.existing + " (its cgroup.controllers)"};
  auto writes = plan_resource_writes(layout, resources);
  if (!writes) return writes.error();
  plan.writes = std::move(*writes);
  return plan;
}

const CgroupDriver& delegated_cgroup2_driver() {
  static const DelegatedCgroup2Driver driver;
  return driver;
}

}  // namespace minirun::runtime
