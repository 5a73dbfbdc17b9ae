#include "runtime/container/handle.hpp"

#include <unistd.h>

#include <stdexcept>

#include "runtime/container/status.hpp"
#include "runtime/sys/file.hpp"
#include "spec/quote.hpp"
#include "spec/validate.hpp"

namespace minirun::runtime {

namespace {

std::string dir_path(const std::string& root, const std::string& id) {
  return root + "/" + id;
}

sys::Result<spec::State> load_state(const ContainerDir& dir) {
  auto text = sys::read_file(dir.path() + "/state.json", "state");
  if (!text) {
    if (text.error().errnum == ENOENT)
      return sys::Error::plain("", "container " + spec::go_quote(dir.id()) + " does not exist");
    return text.error();
  }
  try {
    spec::State state = spec::state_from_stored_json(*text);
    refresh_status(state, dir.path());
    return state;
  } catch (const std::exception& e) {
    return sys::Error::plain("state", e.what());
  }
}

}  // namespace

sys::Result<ContainerDir> ContainerDir::of(const std::string& root, const std::string& id) {
  if (!spec::is_valid_container_id(id))
    return sys::Error::plain("", "invalid container ID format: " + spec::go_quote(id));
  return ContainerDir(root, id);
}

ContainerDir::ContainerDir(std::string root, std::string id)
    : root_(std::move(root)), id_(std::move(id)), path_(dir_path(root_, id_)) {}

bool ContainerDir::exists() const {
  return access(path_.c_str(), F_OK) == 0;
}

sys::Result<Container> Container::open(const ContainerDir& dir, Access access) {
  std::optional<StateLock> lock;
  if (access == Access::change) lock.emplace(dir.path());
  auto state = load_state(dir);
  if (!state) return state.error();
  return Container(dir, std::move(lock), std::move(*state));
}

sys::Result<Container> Container::open(const std::string& root, const std::string& id,
                                       Access access) {
  auto dir = ContainerDir::of(root, id);
  if (!dir) return dir.error();
  return open(*dir, access);
}

sys::Status Container::save() const {
  return write_state(dir_.path(), state_);
}

sys::Status Container::reload() {
  auto state = load_state(dir_);
  if (!state) return state.error();
  state_ = std::move(*state);
  return {};
}

std::string unused_container_id(const std::string& root, const std::string& base) {
  std::string id = base;
  for (int n = 2; access(dir_path(root, id).c_str(), F_OK) == 0; ++n)
    id = base + "-" + std::to_string(n);
  return id;
}

}  // namespace minirun::runtime
