// runtime/sys/file: the files minirun creates never follow a link planted where they go.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/sys/file.hpp"

namespace minirun::sys {
namespace {

namespace fs = std::filesystem;

class File : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("minirun-file-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    std::ofstream(victim()) << "secret";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path victim() const { return dir_ / "victim"; }
  static std::string slurp(const fs::path& path) {
    std::stringstream s;
    s << std::ifstream(path).rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(File, AtomicWriteReplacesASymlinkInsteadOfFollowingIt) {
  fs::create_symlink(victim(), dir_ / "pid");
  fs::create_symlink(victim(), dir_ / "pid.tmp");  // the old temp name, followed before
  ASSERT_TRUE(write_file_atomic((dir_ / "pid").string(), "42", "pid-file"));
  EXPECT_EQ(slurp(victim()), "secret");
  EXPECT_FALSE(fs::is_symlink(dir_ / "pid"));
  EXPECT_EQ(slurp(dir_ / "pid"), "42");
  EXPECT_FALSE(fs::exists(dir_ / ".pid"));
}

TEST_F(File, AtomicWriteFailsOnATakenTempName) {
  fs::create_symlink(victim(), dir_ / ".pid");
  auto written = write_file_atomic((dir_ / "pid").string(), "42", "pid-file");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().errnum, EEXIST);
  EXPECT_EQ(written.error().describe(), "pid-file: create " + dir_.string() + "/.pid: File exists");
  EXPECT_EQ(slurp(victim()), "secret");
  EXPECT_TRUE(fs::is_symlink(dir_ / ".pid")) << "not ours to remove";
  EXPECT_FALSE(fs::exists(dir_ / "pid"));
}

TEST_F(File, AtomicWriteOfARelativePathUsesTheCurrentDirectory) {
  auto cwd = fs::current_path();
  fs::current_path(dir_);
  auto written = write_file_atomic("relative", "x", "state");
  fs::current_path(cwd);
  ASSERT_TRUE(written);
  EXPECT_EQ(slurp(dir_ / "relative"), "x");
}

TEST_F(File, AppendKeepsARegularFileAndCreatesAMissingOne) {
  std::ofstream(dir_ / "log") << "old\n";
  for (const char* name : {"log", "new-log"}) {
    auto fd = open_append((dir_ / name).string(), "--log");
    ASSERT_TRUE(fd) << fd.error().describe();
    ASSERT_EQ(write(fd->get(), "line\n", 5), 5);
  }
  EXPECT_EQ(slurp(dir_ / "log"), "old\nline\n");
  EXPECT_EQ(slurp(dir_ / "new-log"), "line\n");
}

TEST_F(File, AppendRefusesASymlinkAFifoADirectoryAndADevice) {
  fs::create_symlink(victim(), dir_ / "link");
  ASSERT_EQ(mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  for (auto [path, kind] : {std::pair{dir_ / "link", "a symbolic link"},
                            {dir_ / "fifo", "a FIFO"},
                            {dir_, "a directory"},
                            {fs::path("/dev/null"), "a character device"}}) {
    auto fd = open_append(path.string(), "--log");
    ASSERT_FALSE(fd) << path;
    EXPECT_EQ(fd.error().describe(),
              "--log: refusing " + path.string() + ": it is " + kind + ", not a regular file");
  }
  EXPECT_EQ(slurp(victim()), "secret");
}

TEST_F(File, FifoGetsExactlyItsModeWhateverTheUmask) {
  mode_t was = umask(077);
  int dir_fd = open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  auto made = make_fifo_at(dir_fd, "exec.fifo", 0622, "state");
  fs::create_symlink(victim(), dir_ / "planted");
  auto clash = make_fifo_at(dir_fd, "planted", 0622, "state");
  close(dir_fd);
  EXPECT_EQ(umask(was), 077) << "the umask is restored";
  ASSERT_TRUE(made) << made.error().describe();
  struct stat st {};
  ASSERT_EQ(lstat((dir_ / "exec.fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0622u);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().errnum, EEXIST);
  ASSERT_EQ(stat(victim().c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

}  // namespace
}  // namespace minirun::sys
