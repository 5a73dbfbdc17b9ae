#include "runtime/cgroups/no_cgroups_driver.hpp"

namespace minirun::runtime {

namespace {

// What the verbs that need a cgroup say instead.
sys::Error no_cgroup(const std::string& step, const std::string& what) {
  return sys::Error::plain(step, "the container has no cgroup (rootless, no delegated cgroup): " +
                                     what + " is unavailable");
}

class NoCgroupsDriver final : public CgroupDriver {
 public:
  const char* name() const override { return "none"; }

  // Empty paths: state.json names no cgroup, so delete and the end of run remove none.
  sys::Result<CgroupPlan> plan(const spec::Config&, const std::string&) const override {
    return CgroupPlan{};
  }

  sys::Status create(const CgroupPlan&) const override { return {}; }
  sys::Fd clone_target(const CgroupPlan&) const override { return {}; }
  sys::Status join_init(const CgroupPlan&, pid_t, bool) const override { return {}; }
  sys::Status join(const CgroupPaths&, pid_t) const override { return {}; }

  sys::Status update(const CgroupPaths&, const spec::Resources&) const override {
    return no_cgroup("update", "update");
  }
  sys::Status freeze(const CgroupPaths&) const override { return no_cgroup("pause", "pause"); }
  sys::Status thaw(const CgroupPaths&) const override { return no_cgroup("resume", "resume"); }
  bool frozen(const CgroupPaths&) const override { return false; }

  // Without a cgroup the container's processes cannot be told from others of the same user.
  sys::Result<std::vector<pid_t>> pids(const CgroupPaths&) const override {
    return no_cgroup("ps", "listing its processes (ps)");
  }
  // Not reached: the verbs signal init alone when state.json names no cgroup.
  sys::Status signal_all(const CgroupPaths&, int) const override { return {}; }
  sys::Status signal_all_unfinished(const CgroupPaths&, int) const override { return {}; }

  spec::CgroupStats stats(const CgroupPaths&) const override { return {}; }
  sys::Result<std::unique_ptr<OomEvents>> oom_events(const CgroupPaths&) const override {
    return no_cgroup("events", "events");
  }

  sys::Status destroy(const CgroupPaths&) const override { return {}; }
  bool destroy_if_empty(const CgroupPaths&) const override { return true; }
};

}  // namespace

bool asks_for_limits(const spec::Resources& r) {
  return r.memory || r.cpu || r.pidsLimit || r.blockIO || !r.hugepageLimits.empty() || r.network ||
         !r.rdma.empty() || !r.unified.empty();
}

const CgroupDriver& no_cgroups_driver() {
  static const NoCgroupsDriver driver;
  return driver;
}

}  // namespace minirun::runtime
