#include "runtime/namespaces/namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "runtime/namespaces/id_map_helper.hpp"
#include "runtime/sys/file.hpp"
#include "spec/namespace_kinds.hpp"

namespace minirun::runtime {

int clone_flag(spec::NamespaceType type) {
  return spec::namespace_kind(type).clone_flag;
}

bool runtime_owns_its_network_namespace() {
  sys::Fd net(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!net) return true;
  sys::Fd owner(ioctl(net.get(), NS_GET_USERNS));
  // EPERM: the owner is outside this user namespace (an ancestor's, e.g. the host's).
  if (!owner && errno == EPERM) return false;
  struct stat owner_st {
  }, own_st{};
  if (!owner || fstat(owner.get(), &owner_st) < 0 || stat("/proc/thread-self/ns/user", &own_st) < 0)
    return true;
  return owner_st.st_dev == own_st.st_dev && owner_st.st_ino == own_st.st_ino;
}

sys::Result<NamespacePlan> plan_namespaces(const spec::Config& config) {
  NamespacePlan plan;
  if (!config.linux) return plan;
  for (const auto& ns : config.linux->namespaces) {
    if (ns.path.empty()) {
      if (ns.type == spec::NamespaceType::time)
        plan.new_time = true;
      else if (ns.type == spec::NamespaceType::cgroup)
        plan.new_cgroup = true;
      else
        plan.clone_flags |= clone_flag(ns.type);
      plan.new_user |= ns.type == spec::NamespaceType::user;
      plan.new_net |= ns.type == spec::NamespaceType::network;
      plan.new_mount |= ns.type == spec::NamespaceType::mount;
      continue;
    }
    // O_NONBLOCK: a FIFO in the path's place must not hang us (setns refuses it later).
    int fd = open(ns.path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
      return sys::Error::from_errno(
          "namespaces",
          "open " + std::string(spec::namespace_type_name(ns.type)) + " namespace path " + ns.path);
    JoinedNamespace joined{ns.type, ns.path, sys::Fd(fd)};
    if (ns.type == spec::NamespaceType::user)
      plan.joins.insert(plan.joins.begin(), std::move(joined));
    else
      plan.joins.push_back(std::move(joined));
  }
  plan.joins_user = std::any_of(plan.joins.begin(), plan.joins.end(), [](const auto& ns) {
    return ns.type == spec::NamespaceType::user;
  });
  plan.joins_mount = std::any_of(plan.joins.begin(), plan.joins.end(), [](const auto& ns) {
    return ns.type == spec::NamespaceType::mount;
  });
  if (plan.net_by_parent()) plan.runtime_owns_its_net = runtime_owns_its_network_namespace();
  if (plan.net_by_parent()) plan.clone_flags &= ~static_cast<unsigned long>(CLONE_NEWNET);
  return plan;
}

sys::Status enter_joined_pid_namespace(const std::vector<JoinedNamespace>& joins) {
  for (const auto& ns : joins)
    if (ns.type == spec::NamespaceType::pid && setns(ns.fd.get(), CLONE_NEWPID) < 0)
      return sys::Error::from_errno("namespaces", "join pid namespace " + ns.path);
  return {};
}

sys::Status join_namespaces(const NamespacePlan& plan) {
  for (const auto& ns : plan.joins) {
    if (ns.type == spec::NamespaceType::pid) continue;
    if (setns(ns.fd.get(), clone_flag(ns.type)) < 0)
      return sys::Error::from_errno(
          "namespaces",
          "join " + std::string(spec::namespace_type_name(ns.type)) + " namespace " + ns.path);
  }
  return {};
}

// Entering a user namespace keeps the host ids, which it does not map (they read as 65534):
// files init creates (mkdir in the container's own tmpfs /dev) would fail with EOVERFLOW.
// Become the namespace's root, as runc's nsexec does, before any of that.
sys::Status become_root_in_user_namespace(const NamespacePlan& plan) {
  if (plan.new_user || plan.joins_user) {
    if (setresgid(0, 0, 0) < 0)
      return sys::Error::from_errno("namespaces", "become root (gid 0) in the user namespace");
    if (setresuid(0, 0, 0) < 0)
      return sys::Error::from_errno("namespaces", "become root (uid 0) in the user namespace");
  }
  return {};
}

namespace {

std::string id_map_text(const std::vector<spec::IdMapping>& maps) {
  std::string text;
  for (const auto& m : maps)
    text += std::to_string(m.containerID) + " " + std::to_string(m.hostID) + " " +
            std::to_string(m.size) + "\n";
  return text;
}

}  // namespace

sys::Status write_id_maps(pid_t pid, const spec::Linux& linux, const IdMapHelpers& helpers) {
  std::string base = "/proc/" + std::to_string(pid) + "/";
  // Without CAP_SETGID in the parent namespace the kernel takes a gid_map only once setgroups
  // is denied (user_namespaces(7)); init then skips setgroups, as runc's does. newgidmap has
  // CAP_SETGID and leaves setgroups allowed when a subgid range is mapped (runc denies only
  // when it writes gid_map itself).
  if (geteuid() != 0 && !linux.gidMappings.empty() && helpers.newgidmap.empty())
    MR_TRY(sys::write_file(base + "setgroups", "deny", "user namespace"));
  if (!helpers.newuidmap.empty())
    MR_TRY(run_id_map_helper(helpers.newuidmap, pid, linux.uidMappings));
  else if (!linux.uidMappings.empty())
    MR_TRY(sys::write_file(base + "uid_map", id_map_text(linux.uidMappings), "user namespace"));
  if (!helpers.newgidmap.empty())
    MR_TRY(run_id_map_helper(helpers.newgidmap, pid, linux.gidMappings));
  else if (!linux.gidMappings.empty())
    MR_TRY(sys::write_file(base + "gid_map", id_map_text(linux.gidMappings), "user namespace"));
  return {};
}

sys::Status enter_cgroup_namespace() {
  if (unshare(CLONE_NEWCGROUP) < 0)
    return sys::Error::from_errno("namespaces", "unshare cgroup namespace");
  return {};
}

sys::Status enter_time_namespace(const spec::Linux& linux) {
  if (unshare(CLONE_NEWTIME) < 0)
    return sys::Error::from_errno("namespaces", "unshare time namespace");
  std::string offsets;
  for (const auto& [clock, off] : linux.timeOffsets)
    offsets += clock + " " + std::to_string(off.secs) + " " + std::to_string(off.nanosecs) + "\n";
  if (!offsets.empty()) MR_TRY(sys::write_file("/proc/self/timens_offsets", offsets, "namespaces"));
  return {};
}

}  // namespace minirun::runtime
