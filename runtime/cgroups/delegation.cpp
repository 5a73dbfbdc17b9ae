#include "runtime/cgroups/delegation.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/cgroups/paths.hpp"
#include "runtime/sys/paths_in_root.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "cgroup";

// The effective ids decide, as the kernel decides for the mkdir and writes that follow.
bool writable(const std::string& path) {
  return faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) == 0;
}

std::string deepest_existing(const std::string& mount_point, std::string dir) {
  struct stat st {};
  while (dir.size() > mount_point.size() && stat(dir.c_str(), &st) != 0) dir = parent_path(dir);
  return dir;
}

std::string caller() {
  return "uid " + std::to_string(geteuid());
}

}  // namespace

sys::Result<Delegation> find_delegation(const CgroupHost& host,
                                        const std::optional<std::string>& cgroups_path,
                                        const std::string& id) {
  if (!host.unified)
    return sys::Error::plain(kStep, "this host has no cgroup2 hierarchy to delegate");
  const CgroupHierarchy& unified = *host.unified;
  const std::string path = rootless_cgroup_path(cgroups_path, id, unified.own_path);
  auto dir = unified.dir_of(path);
  if (!dir)
    return sys::Error::plain(
        kStep, "cgroup " + path + " is outside the cgroup2 mount at " + unified.mount_point);
  Delegation place{unified, *dir, deepest_existing(unified.mount_point, *dir)};
  // An existing cgroup is joined, not made: its own cgroup.procs is what must be writable.
  const std::string needed =
      place.existing == place.dir ? place.dir + "/cgroup.procs" : place.existing;
  if (!writable(needed))
    return sys::Error::plain(kStep, needed + " is not writable by " + caller());
  const std::string shared = common_ancestor(clean_path(unified.own_path), path);
  auto shared_dir = unified.dir_of(shared);
  const std::string procs = (shared_dir ? *shared_dir : unified.mount_point) + "/cgroup.procs";
  if (!writable(procs))
    return sys::Error::plain(kStep, procs + " is not writable by " + caller() +
                                        ": cgroup2 moves a process only within a subtree its "
                                        "mover may write, and this one's cgroup " +
                                        unified.own_path + " shares none with " + path);
  return place;
}

}  // namespace minirun::runtime
