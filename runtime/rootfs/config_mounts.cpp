#include "runtime/rootfs/config_mounts.hpp"

#include <sys/mount.h>

#include "runtime/rootfs/cgroup_mount.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "runtime/sys/user_namespace.hpp"
#include "spec/mount_options.hpp"
#include "spec/namespace_kinds.hpp"
#include "spec/parse.hpp"

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

sys::Error config_mount_error(const sys::Error& error, size_t index, const spec::Mount& mount) {
  if ((error.errnum != EPERM && error.errnum != EACCES) || !sys::in_user_namespace()) return error;
  std::string why;
  if (error.errnum == EACCES)
    why = "the container's root is an ordinary user on the host, which denies it access";
  else if (spec::is_bind_mount(mount))
    why =
        "a bind may not clear a flag the host set on the source's mount: ro, nosuid, nodev, "
        "noexec or an atime flag";
  else if (auto shows = spec::namespace_a_filesystem_shows(mount.type))
    why = mount.type + " needs a " + std::string(spec::namespace_type_name(*shows)) +
          " namespace the user namespace owns";
  else
    why =
        "the kernel lets it mount only filesystems made for user namespaces, such as tmpfs, "
        "devpts, overlay and fuse";
  return error.within("", "config.json: " + spec::json_pointer_child("/mounts", index) +
                              ": not permitted in a user namespace (" + why + ")");
}

}  // namespace minirun::runtime
