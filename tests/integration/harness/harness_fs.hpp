// Small file-system helpers for tests: reading and writing files, mount points, and removing a
// tree without ever crossing into a file system mounted inside it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace minirun::itest {

std::string read_file(const std::filesystem::path& path);  // throws if it cannot be opened
void write_file(const std::filesystem::path& path, const std::string& content);
// write_file(), then mode 0755.
void write_script(const std::filesystem::path& path, const std::string& content);

struct MountEntry {
  std::string mount_point;  // octal escapes (\040) decoded
  std::string fs_type;
  std::string source;
  std::string options;  // per-mount options, e.g. "ro,nosuid,nodev"
  // The first optional field: "shared:N", "master:N", "unbindable"; "-" for a private mount.
  std::string propagation;
};

// /proc/self/mountinfo of the test process (the host's mount namespace).
std::vector<MountEntry> host_mounts();

// Detaches (MNT_DETACH) every mount at or below `dir`, deepest first. Returns how many.
int lazy_unmount_under(const std::filesystem::path& dir);

// A tmpfs of the test's own at `dir`, made shared (its own peer group): a rootfs inside it has
// a shared parent mount, as under systemd. Unmounted with all below it when it goes, even
// when a check failed.
class SharedTmpfs {
 public:
  explicit SharedTmpfs(std::filesystem::path dir);
  ~SharedTmpfs();
  SharedTmpfs(const SharedTmpfs&) = delete;
  SharedTmpfs& operator=(const SharedTmpfs&) = delete;
  bool mounted() const { return mounted_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
};

// rm -rf that stays on the file system of `dir`: anything mounted below is unmounted first,
// and nftw(FTW_MOUNT) refuses to descend into what could not be unmounted, so a leaked bind
// mount of a host directory is never emptied.
void remove_tree(const std::filesystem::path& dir);

}  // namespace minirun::itest
