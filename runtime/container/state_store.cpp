#include "runtime/container/state_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <utility>

#include "runtime/container/handle.hpp"
#include "runtime/sys/file.hpp"

namespace minirun::runtime {

namespace {

sys::Status mkdir_p(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return {};
  if (errno != ENOENT) return sys::Error::from_errno("state", "mkdir " + path);
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0)
    return sys::Error::from_errno("state", "mkdir " + path);
  MR_TRY(mkdir_p(path.substr(0, slash), mode));
  if (mkdir(path.c_str(), mode) < 0 && errno != EEXIST)
    return sys::Error::from_errno("state", "mkdir " + path);
  return {};
}

}  // namespace

sys::Result<StateDir> StateDir::create(const ContainerDir& dir) {
  MR_TRY(mkdir_p(dir.root(), 0700));
  const std::string& path = dir.path();
  if (mkdir(path.c_str(), 0711) < 0) {
    if (errno == EEXIST) return sys::Error::plain("", "container with given ID already exists");
    return sys::Error::from_errno("state", "mkdir " + path);
  }
  return StateDir(path);
}

StateDir::StateDir(StateDir&& other) noexcept
    : path_(std::move(other.path_)), owned_(other.owned_) {
  other.owned_ = false;
}

StateDir::~StateDir() {
  if (owned_) remove_state_dir(path_);
}

sys::Status StateDir::write(const spec::State& state) const {
  return write_state(path_, state);
}

sys::Status write_state(const std::string& state_dir, const spec::State& state) {
  return sys::write_file_atomic(state_dir + "/state.json", spec::state_to_stored_json(state),
                                "state");
}

StateLock::StateLock(const std::string& state_dir) {
  fd_ = open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ >= 0) flock(fd_, LOCK_EX);
}

StateLock::StateLock(StateLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StateLock::~StateLock() {
  if (fd_ >= 0) close(fd_);
}

void remove_state_dir(const std::string& path) {
  // Usually state.json is all there is: two syscalls instead of a directory walk.
  unlink((path + "/state.json").c_str());
  if (rmdir(path.c_str()) == 0 || errno == ENOENT) return;
  if (DIR* dir = opendir(path.c_str())) {
    while (struct dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") unlinkat(dirfd(dir), name.c_str(), 0);
    }
    closedir(dir);
  }
  rmdir(path.c_str());
}

}  // namespace minirun::runtime
