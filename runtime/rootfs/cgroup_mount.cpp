#include "runtime/rootfs/cgroup_mount.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <set>
#include <vector>

#include "runtime/cgroups/mount_facts.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/mountinfo.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "mount";

// This process's cgroups, as /proc/self/cgroup lists them.
std::vector<OwnCgroup> read_own_cgroups() {
  auto text = sys::read_file("/proc/self/cgroup", kStep);
  return text ? parse_proc_self_cgroup(*text) : std::vector<OwnCgroup>{};
}

// The container's cgroup in the cgroup2 hierarchy, as this process sees it.
std::string own_v2_cgroup() {
  for (const auto& c : read_own_cgroups())
    if (c.controllers.empty()) return c.path;
  return "/";
}

sys::Status bind_own_v2(const MountContext& ctx, const spec::MountOptions& options,
                        const std::string& dest) {
  spec::MountOptions bind = options;
  bind.flags |= MS_BIND | MS_REC;
  return mount_bind(ctx, clean_path("/sys/fs/cgroup/" + own_v2_cgroup()), bind, dest);
}

sys::Status mount_v2(const MountContext& ctx, const spec::MountOptions& options,
                     const std::string& dest) {
  // Outside a cgroup namespace a fresh cgroup2 mount would show the host's whole tree: bind
  // the container's own cgroup instead. Inside one (own cgroup "/"), the new mount is rooted
  // at the container's cgroup.
  if (own_v2_cgroup() != "/") return bind_own_v2(ctx, options, dest);
  auto target = mkdir_all_in_root(ctx.root_fd, dest, 0755, kStep);
  if (!target) return target.error();
  if (::mount("cgroup", fd_path(target->get()).c_str(), "cgroup2", options.flags,
              options.data.empty() ? nullptr : options.data.c_str()) == 0) {
    for (unsigned long flag : options.propagation) {
      auto mounted = open_in_root(ctx.root_fd, dest, O_PATH, kStep);
      if (!mounted) return mounted.error();
      if (::mount(nullptr, fd_path(mounted->get()).c_str(), nullptr, flag, nullptr) != 0)
        return sys::Error::from_errno(kStep, "set propagation of " + dest + " (in rootfs)");
    }
    return {};
  }
  if (errno != EPERM && errno != EBUSY)
    return sys::Error::from_errno(kStep, "mount cgroup2 on " + dest + " (in rootfs)");
  return bind_own_v2(ctx, options, dest);
}

// The host's v1 hierarchies, one entry per mount point (the top one), outside the rootfs.
std::vector<MountInfoEntry> v1_hierarchies(const MountContext& ctx,
                                           const std::vector<MountInfoEntry>& mounts) {
  std::vector<MountInfoEntry> out;
  for (const auto& m : mounts) {
    if (m.fs_type != "cgroup" || path_is_within(m.mount_point, ctx.rootfs)) continue;
    std::erase_if(out, [&](const MountInfoEntry& e) { return e.mount_point == m.mount_point; });
    out.push_back(m);
  }
  return out;
}

const OwnCgroup* own_cgroup_for(const std::vector<OwnCgroup>& own, const MountInfoEntry& m) {
  std::set<std::string> options = v1_mount_controllers(m.super_options);
  for (const auto& c : own) {
    if (c.controllers.empty()) continue;
    bool all = true;
    for (const auto& controller : c.controllers) all = all && options.count(controller) > 0;
    if (all) return &c;
  }
  return nullptr;
}

sys::Status mount_v1(const MountContext& ctx, const spec::MountOptions& options,
                     const std::string& dest) {
  spec::Mount tmpfs;
  tmpfs.destination = dest;
  tmpfs.type = "tmpfs";
  tmpfs.source = "tmpfs";
  spec::MountOptions tmpfs_options;
  tmpfs_options.flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  tmpfs_options.data = "mode=755";
  tmpfs_options.propagation = options.propagation;
  MR_TRY(mount_filesystem(ctx, tmpfs, tmpfs_options, dest));

  auto mounts = read_mountinfo(kStep);
  if (!mounts) return mounts.error();
  auto own = read_own_cgroups();
  spec::MountOptions bind = options;
  bind.flags |= MS_BIND | MS_REC;
  for (const auto& hierarchy : v1_hierarchies(ctx, *mounts)) {
    std::string source = hierarchy.mount_point;
    std::string name = base_name(clean_path(hierarchy.mount_point));
    const OwnCgroup* mine = own_cgroup_for(own, hierarchy);
    if (mine && !path_is_within(mine->path, hierarchy.root)) {
      // In a cgroup namespace the host's mount lies outside it ("/.." roots): a fresh mount of
      // the hierarchy is rooted at the namespace's root, the container's own cgroup.
      spec::Mount fresh;
      fresh.destination = dest + "/" + name;
      fresh.type = "cgroup";
      fresh.source = "cgroup";
      spec::MountOptions fresh_options = options;
      std::string controllers;
      for (const auto& c : mine->controllers) controllers += (controllers.empty() ? "" : ",") + c;
      fresh_options.data = options.data.empty() ? controllers : options.data + "," + controllers;
      MR_TRY(mount_filesystem(ctx, fresh, fresh_options, fresh.destination));
    } else {
      if (mine) {
        std::string relative = mine->path.substr(hierarchy.root == "/" ? 0 : hierarchy.root.size());
        source = clean_path(hierarchy.mount_point + "/" + relative);
      }
      MR_TRY(mount_bind(ctx, source, bind, dest + "/" + name));
    }
    if (name.find(',') == std::string::npos) continue;
    auto dir = open_in_root(ctx.root_fd, dest, O_PATH | O_DIRECTORY, kStep);
    if (!dir) return dir.error();
    for (auto piece : spec::split(name, ',')) {
      std::string part(piece);
      if (::symlinkat(name.c_str(), dir->get(), part.c_str()) != 0 && errno != EEXIST)
        return sys::Error::from_errno(kStep, "symlink " + dest + "/" + part + " (in rootfs)");
    }
  }

  if (options.flags & MS_RDONLY) {
    auto root = open_in_root(ctx.root_fd, dest, O_PATH | O_DIRECTORY, kStep);
    if (!root) return root.error();
    if (::mount(nullptr, fd_path(root->get()).c_str(), nullptr,
                MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      return sys::Error::from_errno(kStep, "remount " + dest + " (in rootfs) read-only");
  }
  return {};
}

}  // namespace

sys::Status mount_cgroup(const MountContext& ctx, const spec::MountOptions& options,
                         const std::string& dest) {
  if (host_is_pure_v2()) return mount_v2(ctx, options, dest);
  return mount_v1(ctx, options, dest);
}

}  // namespace minirun::runtime
