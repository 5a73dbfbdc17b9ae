// One container handle per command: opening (root, id) checks the ID as runc does, names the
// state directory, takes the state lock when the verb changes the container, and loads its
// state with the status told from the truth (status.hpp). Every verb on an existing container
// takes the handle; only this file and StateDir::create know the <root>/<id> layout.
#pragma once

#include <optional>
#include <string>

#include "runtime/container/state_store.hpp"
#include "runtime/sys/error.hpp"
#include "spec/container_status.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

// <root>/<id> for an ID that passed runc's check, so that no ID names a path elsewhere
// ("../x", "a/b"). Reads nothing.
class ContainerDir {
 public:
  // "invalid container ID format: \"a/b\"" for an ID runc refuses.
  static sys::Result<ContainerDir> of(const std::string& root, const std::string& id);

  const std::string& root() const { return root_; }
  const std::string& id() const { return id_; }
  const std::string& path() const { return path_; }
  // A directory by that name is there, with or without a state.json in it.
  bool exists() const;

 private:
  ContainerDir(std::string root, std::string id);
  std::string root_, id_, path_;
};

// Whether a handle holds the container's state lock (flock on its state directory) for its
// lifetime.
enum class Access {
  read,    // no lock, no fd kept: state, list, ps, events; and exec, whose process may outlive
           // any verb (holding the lock meanwhile would keep kill and delete waiting)
  change,  // locked: start, kill, delete, pause, resume, update never interleave on one ID
};

class Container {
 public:
  // Takes the lock first (Access::change), then reads state.json: "container \"id\" does not
  // exist" without one, "damaged state.json: ..." when it cannot be read.
  static sys::Result<Container> open(const ContainerDir& dir, Access access);
  static sys::Result<Container> open(const std::string& root, const std::string& id, Access access);

  const ContainerDir& dir() const { return dir_; }
  const std::string& id() const { return dir_.id(); }
  spec::ContainerStatus status() const { return state_.status; }
  const spec::State& state() const { return state_; }
  spec::State& state() { return state_; }

  // Writes state() to state.json, atomically.
  sys::Status save() const;
  // Reads state.json again and tells the status anew (events watches a container stop).
  sys::Status reload();

 private:
  Container(ContainerDir dir, std::optional<StateLock> lock, spec::State state)
      : dir_(std::move(dir)), lock_(std::move(lock)), state_(std::move(state)) {}
  ContainerDir dir_;
  std::optional<StateLock> lock_;
  spec::State state_;
};

// base, else base-2, base-3, ...: the first that names no state directory in root (run's ID
// for a bundle given by its directory).
std::string unused_container_id(const std::string& root, const std::string& base);

}  // namespace minirun::runtime
