// runtime/container/handle: the ID checked once, the <root>/<id> path, the lock a changing
// verb holds, and the status read from a state.json (no root needed: a stopped container).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/container/handle.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {
namespace {

namespace fs = std::filesystem;

class Handle : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("minirun-handle-test-" + std::to_string(getpid()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A container whose init (pid 0) is gone: its status is stopped whatever state.json says.
  void store(const std::string& id, const std::string& status) {
    fs::create_directories(root_ / id);
    std::ofstream(root_ / id / "state.json")
        << R"({"ociVersion":"1.0.2","id":")" << id << R"(","pid":0,"status":")" << status
        << R"(","bundle":"/b","rootfs":"/b/rootfs","created":"2026-12-04T00:00:00Z"})";
  }

  // Whether another open of the directory could take the lock now.
  bool lockable(const std::string& id) const {
    sys::Fd fd(open((root_ / id).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return fd && flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
  }

  std::string root() const { return root_.string(); }
  fs::path root_;
};

TEST_F(Handle, AnIdRuncRefusesNamesNoDirectory) {
  for (const char* id : {"", ".", "..", "../x", "a/b", "a b"}) {
    auto dir = ContainerDir::of(root(), id);
    ASSERT_FALSE(dir) << id;
    EXPECT_EQ(dir.error().message, std::string("invalid container ID format: \"") + id + "\"");
  }
}

TEST_F(Handle, NamesTheStateDirectoryInTheRoot) {
  auto dir = ContainerDir::of(root(), "c1");
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->id(), "c1");
  EXPECT_EQ(dir->root(), root());
  EXPECT_EQ(dir->path(), root() + "/c1");
  EXPECT_FALSE(dir->exists());
  fs::create_directories(root_ / "c1");
  EXPECT_TRUE(dir->exists());
}

TEST_F(Handle, OpensAStoredContainerWithItsStatusFromTheTruth) {
  store("c1", "running");
  auto container = Container::open(root(), "c1", Access::read);
  ASSERT_TRUE(container) << container.error().describe();
  EXPECT_EQ(container->id(), "c1");
  EXPECT_EQ(container->dir().path(), root() + "/c1");
  EXPECT_EQ(container->status(), spec::ContainerStatus::stopped);
  EXPECT_EQ(container->state().bundle, "/b");
}

TEST_F(Handle, SaysWhenThereIsNoSuchContainer) {
  auto missing = Container::open(root(), "nope", Access::read);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "container \"nope\" does not exist");
  auto invalid = Container::open(root(), "a/b", Access::change);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().message, "invalid container ID format: \"a/b\"");
}

TEST_F(Handle, AChangingVerbHoldsTheLockForTheHandlesLife) {
  store("c1", "stopped");
  {
    auto reading = Container::open(root(), "c1", Access::read);
    ASSERT_TRUE(reading);
    EXPECT_TRUE(lockable("c1"));
  }
  {
    auto changing = Container::open(root(), "c1", Access::change);
    ASSERT_TRUE(changing);
    EXPECT_FALSE(lockable("c1"));
    auto moved = std::move(*changing);  // the lock goes with the handle
    EXPECT_FALSE(lockable("c1"));
  }
  EXPECT_TRUE(lockable("c1"));
}

TEST_F(Handle, SavesAndReloads) {
  store("c1", "stopped");
  auto container = Container::open(root(), "c1", Access::change);
  ASSERT_TRUE(container);
  container->state().bundle = "/elsewhere";
  ASSERT_TRUE(container->save());
  container->state().bundle = "/b";
  ASSERT_TRUE(container->reload());
  EXPECT_EQ(container->state().bundle, "/elsewhere");
}

TEST_F(Handle, AnUnusedIdSkipsTheTakenOnes) {
  EXPECT_EQ(unused_container_id(root(), "bundle"), "bundle");
  fs::create_directories(root_ / "bundle");
  fs::create_directories(root_ / "bundle-2");
  EXPECT_EQ(unused_container_id(root(), "bundle"), "bundle-3");
}

}  // namespace
}  // namespace minirun::runtime
