// <root>/<id>/: the container's state directory and its state.json (written atomically).
#pragma once

#include <optional>
#include <string>

#include "runtime/sys/error.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

class ContainerDir;

// Init blocks opening this for writing until `start` opens it for reading; its presence
// means the container is created but not started.
inline constexpr const char* kExecFifo = "exec.fifo";

// Owns a state directory it created: removed on destruction unless keep() was called, so an
// error path cannot leave one behind.
class StateDir {
 public:
  // "container with given ID already exists" when there is one.
  static sys::Result<StateDir> create(const ContainerDir& dir);
  StateDir(StateDir&& other) noexcept;
  StateDir& operator=(StateDir&&) = delete;
  ~StateDir();

  const std::string& path() const { return path_; }
  sys::Status write(const spec::State& state) const;
  void keep() { owned_ = false; }

 private:
  explicit StateDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool owned_ = true;
};

// An exclusive flock(2) on a container's state directory for the length of an operation, so
// two `start`s or a `start` and a `delete` on one ID cannot interleave. Not holding it (the
// directory is gone) is not an error: the operation then finds no container. A Container
// opened with Access::change owns one.
class StateLock {
 public:
  explicit StateLock(const std::string& state_dir);
  StateLock(StateLock&& other) noexcept;
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_ = -1;
};

// Writes <state_dir>/state.json atomically; StateDir::write and later commands use it.
sys::Status write_state(const std::string& state_dir, const spec::State& state);

// Removes a state directory and the files in it.
void remove_state_dir(const std::string& path);

}  // namespace minirun::runtime
