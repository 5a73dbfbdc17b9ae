#include "runtime/rootfs/devices.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <map>

#include "runtime/sys/file.hpp"
#include "runtime/sys/paths_in_root.hpp"
#include "runtime/sys/user_namespace.hpp"
#include "spec/mount_options.hpp"

namespace minirun::runtime {

namespace {

constexpr const char* kStep = "devices";

spec::Device char_device(const char* path, int64_t major, int64_t minor) {
  spec::Device d;
  d.type = "c";
  d.path = path;
  d.major = major;
  d.minor = minor;
  d.fileMode = 0666;
  d.uid = 0;
  d.gid = 0;
  return d;
}

// Restores the umask on scope exit; device modes are exact, as in runc.
class UmaskZero {
 public:
  UmaskZero() : old_(::umask(0)) {}
  ~UmaskZero() { ::umask(old_); }
  UmaskZero(const UmaskZero&) = delete;
  UmaskZero& operator=(const UmaskZero&) = delete;

 private:
  mode_t old_;
};

mode_t node_type(const std::string& type) {
  if (type == "b") return S_IFBLK;
  if (type == "p") return S_IFIFO;
  return S_IFCHR;  // "c" and "u" (unbuffered character device)
}

// "c 1:3", "b 8:0", "p".
std::string describe_node(mode_t type, int64_t major, int64_t minor, bool numbered) {
  std::string out = type == S_IFBLK ? "b" : type == S_IFIFO ? "p" : "c";
  if (numbered) out += " " + std::to_string(major) + ":" + std::to_string(minor);
  return out;
}

sys::Status bind_host_node(int parent_fd, const std::string& name, const std::string& path) {
  // O_EXCL: an existing node is never opened (opening a device node has side effects).
  int created =
      ::openat(parent_fd, name.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
  if (created < 0 && errno != EEXIST)
    return sys::Error::from_errno(kStep, "create " + path + " (in rootfs)");
  if (created >= 0) ::close(created);
  sys::Fd target(::openat(parent_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!target) return sys::Error::from_errno(kStep, "open " + path + " (in rootfs)");
  sys::Fd source(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!source) return sys::Error::from_errno(kStep, "open host device " + path);
  if (::mount(fd_path(source.get()).c_str(), fd_path(target.get()).c_str(), nullptr, MS_BIND,
              nullptr) != 0)
    return sys::Error::from_errno(kStep,
                                  "bind mount host " + path + " on " + path + " (in rootfs)");
  return {};
}

// A device's parent directory, resolved once for all the devices in it (nearly all are in
// /dev). setgid: a node made in it takes the directory's group, not ours.
struct ParentDir {
  sys::Fd fd;
  bool setgid = false;
};

sys::Result<const ParentDir*> parent_dir(int root_fd, const std::string& path,
                                         std::map<std::string, ParentDir>& parents) {
  if (auto known = parents.find(path); known != parents.end()) return &known->second;
  auto made = mkdir_all_in_root(root_fd, path, 0755, kStep);
  if (!made) return made.error();
  struct stat st {};
  if (::fstat(made->get(), &st) != 0) return sys::Error::from_errno(kStep, "stat " + path);
  auto& entry = parents[path];
  entry = ParentDir{std::move(*made), (st.st_mode & S_ISGID) != 0};
  return &entry;
}

sys::Status create_device(int root_fd, const spec::Device& device, bool use_bind,
                          std::map<std::string, ParentDir>& parents) {
  std::string path = clean_path(device.path);
  auto parent = parent_dir(root_fd, parent_path(path), parents);
  if (!parent) return parent.error();
  const int parent_fd = (*parent)->fd.get();
  std::string name = base_name(path);
  if (use_bind) return bind_host_node(parent_fd, name, path);

  mode_t mode = node_type(device.type) | (device.fileMode.value_or(0666) & ~S_IFMT);
  dev_t dev = device.type == "p" ? 0
                                 : makedev(static_cast<unsigned>(device.major),
                                           static_cast<unsigned>(device.minor));
  if (::mknodat(parent_fd, name.c_str(), mode, dev) != 0) {
    if (errno == EEXIST) return {};
    if (errno == EPERM) return bind_host_node(parent_fd, name, path);
    return sys::Error::from_errno(kStep, "mknod " + path + " (in rootfs)");
  }
  // A new node is ours already unless the config names another owner or the directory
  // hands down its group: then a chown, else a syscall saved per device.
  const auto uid = static_cast<uid_t>(device.uid.value_or(0));
  const auto gid = static_cast<gid_t>(device.gid.value_or(0));
  if ((uid != ::geteuid() || gid != ::getegid() || (*parent)->setgid) &&
      ::fchownat(parent_fd, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
    return sys::Error::from_errno(kStep, "chown " + path + " (in rootfs)");
  return {};
}

sys::Status symlink_in(int dir_fd, const char* target, const char* name) {
  if (::symlinkat(target, dir_fd, name) != 0 && errno != EEXIST)
    return sys::Error::from_errno(
        kStep, std::string("symlink /dev/") + name + " -> " + target + " (in rootfs)");
  return {};
}

sys::Status setup_dev_links(int dev_fd) {
  // runc always points /dev/ptmx at the devpts instance mounted at /dev/pts.
  if (::unlinkat(dev_fd, "ptmx", 0) != 0 && errno != ENOENT)
    return sys::Error::from_errno(kStep, "remove /dev/ptmx (in rootfs)");
  MR_TRY(symlink_in(dev_fd, "pts/ptmx", "ptmx"));
  MR_TRY(symlink_in(dev_fd, "/proc/self/fd", "fd"));
  MR_TRY(symlink_in(dev_fd, "/proc/self/fd/0", "stdin"));
  MR_TRY(symlink_in(dev_fd, "/proc/self/fd/1", "stdout"));
  MR_TRY(symlink_in(dev_fd, "/proc/self/fd/2", "stderr"));
  // kcore exists only with CONFIG_PROC_KCORE; the host's /proc tells.
  if (::access("/proc/kcore", F_OK) == 0) MR_TRY(symlink_in(dev_fd, "/proc/kcore", "core"));
  return {};
}

}  // namespace

bool needs_dev_setup(const spec::Config& config) {
  for (const auto& m : config.mounts) {
    if (clean_path(m.destination) == "/dev" && spec::is_bind_mount(m)) return false;
  }
  return true;
}

std::vector<spec::Device> devices_to_create(const spec::Config& config) {
  const std::vector<spec::Device> defaults{
      char_device("/dev/null", 1, 3), char_device("/dev/random", 1, 8),
      char_device("/dev/full", 1, 7), char_device("/dev/tty", 5, 0),
      char_device("/dev/zero", 1, 5), char_device("/dev/urandom", 1, 9),
  };
  const std::vector<spec::Device> none;
  const auto& configured = config.linux ? config.linux->devices : none;
  std::vector<spec::Device> out;
  for (const auto& d : defaults) {
    bool replaced = false;
    for (const auto& c : configured) replaced = replaced || clean_path(c.path) == d.path;
    if (!replaced) out.push_back(d);
  }
  out.insert(out.end(), configured.begin(), configured.end());
  return out;
}

bool binds_device_nodes(const spec::Config& config) {
  return sys::in_user_namespace() ||
         (config.linux && config.linux->find_namespace(spec::NamespaceType::user));
}

sys::Status check_bound_devices(const spec::Config& config) {
  // Devices first: most configs list none, and then uid_map is not read on every start.
  if (!config.linux || config.linux->devices.empty() || !needs_dev_setup(config) ||
      !binds_device_nodes(config))
    return {};
  const auto& devices = config.linux->devices;
  for (size_t i = 0; i < devices.size(); ++i) {
    const spec::Device& d = devices[i];
    const std::string path = clean_path(d.path);
    const std::string why = "config.json: /linux/devices/" + std::to_string(i) +
                            ": in a user namespace device nodes cannot be made, the host's "
                            "node at the same path is bound";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      return sys::Error::from_errno("", why + ": stat " + path + " on the host");
    const mode_t want = node_type(d.type);
    const bool numbered = want != S_IFIFO;  // a fifo has no major:minor
    const std::string asked = describe_node(want, d.major, d.minor, numbered);
    const mode_t type = st.st_mode & S_IFMT;
    if (type != S_IFCHR && type != S_IFBLK && type != S_IFIFO)
      return sys::Error::plain("", why + ", and the host's " + path +
                                       " is not a device node (the config asks for " + asked + ")");
    const int64_t major = ::major(st.st_rdev), minor = ::minor(st.st_rdev);
    if (type != want || (numbered && (major != d.major || minor != d.minor)))
      return sys::Error::plain("", why + ", and the host's " + path + " is " +
                                       describe_node(type, major, minor, type != S_IFIFO) +
                                       ", not " + asked);
  }
  return {};
}

sys::Status setup_dev(int root_fd, const spec::Config& config) {
  bool use_bind = binds_device_nodes(config);
  std::map<std::string, ParentDir> parents;
  {
    UmaskZero umask_guard;
    for (const auto& device : devices_to_create(config))
      MR_TRY(create_device(root_fd, device, use_bind, parents));
  }
  auto dev = parent_dir(root_fd, "/dev", parents);
  if (!dev) return dev.error();
  return setup_dev_links((*dev)->fd.get());
}

sys::Status reopen_dev_null() {
  sys::Fd null_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null_fd) return sys::Error::from_errno(kStep, "open /dev/null (in container)");
  struct stat null_st {};
  if (::fstat(null_fd.get(), &null_st) != 0)
    return sys::Error::from_errno(kStep, "stat /dev/null (in container)");
  for (int fd = 0; fd < 3; ++fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) continue;  // a closed stdio fd is left closed
    if (S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev && ::dup3(null_fd.get(), fd, 0) < 0)
      return sys::Error::from_errno(kStep, "reopen fd " + std::to_string(fd) + " on /dev/null");
  }
  return {};
}

}  // namespace minirun::runtime
