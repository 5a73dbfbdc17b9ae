// Which namespaces init creates (clone flags) and which it joins (fds opened in the parent,
// so a missing path fails before anything exists).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime/namespaces/id_map_policy.hpp"
#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

struct JoinedNamespace {
  spec::NamespaceType type;
  std::string path;
  sys::Fd fd;
};

struct NamespacePlan {
  unsigned long clone_flags = 0;  // namespaces clone(2) creates, CLONE_NEWTIME excluded
  bool new_time = false;          // unshared by init: clone(2) cannot take CLONE_NEWTIME
  bool new_user = false;
  bool new_net = false;
  bool new_mount = false;
  // Unshared by init once the parent has placed it in its cgroup, so the namespace's root is
  // the container's own cgroup (a clone flag would root it at the runtime's cgroup).
  bool new_cgroup = false;
  std::vector<JoinedNamespace> joins;  // user namespace first
  bool joins_user = false;
  bool joins_mount = false;
  IdMapHelpers id_map_helpers;  // from check_id_maps_for_caller

  // No mount namespace, new or joined: the container shares the caller's mount table, and
  // every mount init makes lands there (see prepare_rootfs and detach_rootfs_mounts).
  bool in_caller_mount_ns() const { return !new_mount && !joins_mount; }

  // Whether the runtime's own network namespace belongs to its user namespace, so that it can
  // setns back into it after making one. Not so for root in a user namespace that uses the
  // host's network (rootless podman with --network none): that setns is EPERM.
  bool runtime_owns_its_net = true;

  // The new network namespace is made by the parent once init exists, not by clone(2): the
  // kernel's set-up of it (0.4-0.6 ms here) then runs beside init's first mounts. Init joins
  // it before anything that needs it (a sysfs mount, hooks). Not with a new or joined user
  // namespace: a new one must own it, and from a joined one init could not enter it. Nor
  // when the parent could not return to its own network namespace (runtime_owns_its_net).
  bool net_by_parent() const { return new_net && !new_user && !joins_user && runtime_owns_its_net; }
};

int clone_flag(spec::NamespaceType type);

// Whether this thread's network namespace is owned by its user namespace (NS_GET_USERNS; EPERM
// means an ancestor's); true when the kernel cannot tell (the answer before the check existed).
bool runtime_owns_its_network_namespace();

sys::Result<NamespacePlan> plan_namespaces(const spec::Config& config);

// Parent: a joined pid namespace must be entered before clone (it applies to children).
sys::Status enter_joined_pid_namespace(const std::vector<JoinedNamespace>& joins);

// Parent: uid_map/gid_map of a new user namespace, directly or through newuidmap/newgidmap.
sys::Status write_id_maps(pid_t pid, const spec::Linux& linux, const IdMapHelpers& helpers);

// Init: setns into every joined namespace but pid, the user namespace first.
sys::Status join_namespaces(const NamespacePlan& plan);

// Init: a new cgroup namespace rooted at the cgroup init is in now.
sys::Status enter_cgroup_namespace();

// Init, after joining: in a new or joined user namespace, become its root (uid and gid 0).
sys::Status become_root_in_user_namespace(const NamespacePlan& plan);

// Init: a new time namespace with the configured offsets; exec moves the process into it.
sys::Status enter_time_namespace(const spec::Linux& linux);

}  // namespace minirun::runtime
