#include "harness_fs.hpp"

#include <ftw.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace minirun::itest {
namespace {

std::string decode_octal_escapes(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string digits = s.substr(i + 1, 3);
      if (digits.size() == 3 &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out.push_back(static_cast<char>(std::stoi(digits, nullptr, 8)));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool is_at_or_below(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

int remove_entry(const char* path, const struct stat*, int type, struct FTW*) {
  if (type == FTW_DP) {
    rmdir(path);
  } else {
    unlink(path);
  }
  return 0;  // keep going: remove as much as possible
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << content;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

void write_script(const std::filesystem::path& path, const std::string& content) {
  namespace fs = std::filesystem;
  write_file(path, content);
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
}

std::vector<MountEntry> host_mounts() {
  // mountinfo: id parent major:minor root mount-point options [optional...] - type source super
  std::vector<MountEntry> mounts;
  std::istringstream in(read_file("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 6 || dash == f.end() || std::distance(dash, f.end()) < 3) continue;
    const std::string propagation = dash - f.begin() > 6 ? f[6] : "-";
    mounts.push_back({decode_octal_escapes(f[4]), *(dash + 1), decode_octal_escapes(*(dash + 2)),
                      f[5], propagation});
  }
  return mounts;
}

int lazy_unmount_under(const std::filesystem::path& dir) {
  const std::string root = dir.lexically_normal().string();
  std::vector<std::string> targets;
  for (const auto& m : host_mounts()) {
    if (is_at_or_below(m.mount_point, root)) targets.push_back(m.mount_point);
  }
  // mountinfo lists parents before children: undo in reverse.
  int count = 0;
  for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
    if (umount2(it->c_str(), MNT_DETACH) == 0) ++count;
  }
  return count;
}

SharedTmpfs::SharedTmpfs(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  mounted_ = mount("tmpfs", dir_.c_str(), "tmpfs", 0, nullptr) == 0 &&
             mount(nullptr, dir_.c_str(), nullptr, MS_SHARED, nullptr) == 0;
}

SharedTmpfs::~SharedTmpfs() {
  lazy_unmount_under(dir_);
}

void remove_tree(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(dir, ec))) return;
  lazy_unmount_under(dir);
  nftw(dir.c_str(), remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

}  // namespace minirun::itest
