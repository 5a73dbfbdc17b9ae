#include "runtime/rootfs/config_mounts.hpp"

#include <sys/mount.h>

#include "runtime/rootfs/cgroup_mount.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "spec/mount_options.hpp"

namespace minirun::runtime {

namespace {
constexpr const char* kStep = "mount";
}  // namespace

sys::Status mount_config_entry(const MountContext& ctx, const spec::Mount& mount) {
  std::string dest = clean_path(mount.destination);
  if (!mount.uidMappings.empty() || !mount.gidMappings.empty())
    return sys::Error::plain(kStep, "mount on " + dest + ": idmapped mounts are not supported");
  spec::MountOptions options = spec::parse_mount_options(mount.options);
  if (mount.type == "bind") options.flags |= MS_BIND;
  if (mount.type == "cgroup" || mount.type == "cgroup2") return mount_cgroup(ctx, options, dest);
  if (options.is_bind()) return mount_bind(ctx, mount.source, options, dest);
  return mount_filesystem(ctx, mount, options, dest);
}

}  // namespace minirun::runtime
