// Subordinate id ranges as a real user: the range useradd granted it in /etc/subuid and
// /etc/subgid (the uidmap package makes the files), mapped through newuidmap and newgidmap.
// Skipped where the user has no range or the helpers are missing (tests/run-all.sh installs
// uidmap). A range the user was not granted, and a missing helper, are refused before anything
// exists.
#include "rootless_fixture.hpp"

namespace minirun::itest {
namespace {

// The start of `user`'s first range in a subuid(5)-format file; nullopt when it has none.
std::optional<uint32_t> range_start(const std::string& file, const std::string& user) {
  std::ifstream in(file);
  std::string line;
  const std::string prefix = user + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0)
      return static_cast<uint32_t>(std::stoul(line.substr(prefix.size())));
  return std::nullopt;
}

class RootlessSubuid : public Rootless {
 protected:
  void SetUp() override {
    Rootless::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto uids = range_start("/etc/subuid", user_);
    auto gids = range_start("/etc/subgid", user_);
    if (!uids || !gids) GTEST_SKIP() << "useradd granted " << user_ << " no /etc/subuid range";
    if (access("/usr/bin/newuidmap", X_OK) != 0 || access("/usr/bin/newgidmap", X_OK) != 0)
      GTEST_SKIP() << "no newuidmap/newgidmap (package uidmap)";
    subuid_ = *uids;
    subgid_ = *gids;
  }

  // The caller's own id as 0, then 65536 ids of its range from 1.
  void map_ranges(Bundle& bundle, uint32_t uid_start, uint32_t gid_start) {
    bundle.config["linux"]["uidMappings"] = {
        {{"containerID", 0}, {"hostID", uid_}, {"size", 1}},
        {{"containerID", 1}, {"hostID", uid_start}, {"size", 65536}}};
    bundle.config["linux"]["gidMappings"] = {
        {{"containerID", 0}, {"hostID", gid_}, {"size", 1}},
        {{"containerID", 1}, {"hostID", gid_start}, {"size", 65536}}};
    bundle.write();
  }

  uint32_t subuid_ = 0;
  uint32_t subgid_ = 0;
};

TEST_F(RootlessSubuid, ARangeOfTheUsersOwnIsMappedAndSetgroupsWorks) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(
      bundle, {"sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; ls -n /owned; id"}));
  // Container uid 1000 is host subuid + 999: a file of it reads as 1000 inside.
  write_file(bundle.rootfs() / "owned", "x");
  ASSERT_EQ(chown((bundle.rootfs() / "owned").c_str(), subuid_ + 999, subgid_ + 999), 0);
  map_ranges(bundle, subuid_, subgid_);
  // additionalGids need setgroups(2), which newgidmap leaves allowed for a subgid range.
  bundle.config["process"]["user"] = {{"uid", 1000}, {"gid", 1000}, {"additionalGids", {2000}}};
  bundle.write();
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  ASSERT_EQ(r.exit_code, 0) << r;
  // Each line's words joined by one space: uid_map pads its columns.
  std::string squeezed;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string joined;
    for (std::string w; words >> w;) joined += (joined.empty() ? "" : " ") + w;
    squeezed += joined + "\n";
  }
  EXPECT_TRUE(contains(squeezed, "0 " + std::to_string(uid_) + " 1\n")) << r;
  EXPECT_TRUE(contains(squeezed, "1 " + std::to_string(subuid_) + " 65536\n")) << r;
  EXPECT_TRUE(contains(squeezed, "1 " + std::to_string(subgid_) + " 65536\n")) << r;
  EXPECT_TRUE(contains(squeezed, " 1000 1000 ")) << r;  // ls -n /owned
  EXPECT_TRUE(contains(r.out, "uid=1000 gid=1000 groups=2000")) << r;
  EXPECT_TRUE(no_processes_of(uid_));
}

TEST_F(RootlessSubuid, ARangeTheUserWasNotGrantedIsRefusedLeavingNothing) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"true"}));
  map_ranges(bundle, subuid_ + 1, subgid_);  // one id past the end of its range
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id});
  EXPECT_EQ(r.exit_code, 1) << r;
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.err, "config.json: /linux/uidMappings/1: host uid " +
                                    std::to_string(subuid_ + 1) +
                                    " (size 65536) is neither the caller's own uid"))
        << r;
    EXPECT_TRUE(contains(r.err, "nor inside a range /etc/subuid grants " + user_)) << r;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
    EXPECT_FALSE(fs::exists(user_root() / bundle.id));
  }
  EXPECT_TRUE(no_processes_of(uid_));
}

// runc looks the helpers up in $PATH (exec.LookPath), and so does minirun: a PATH without them
// stands for a host without the uidmap package.
TEST_F(RootlessSubuid, AMissingNewuidmapIsNamedBeforeAnythingExists) {
  Bundle bundle;
  ASSERT_NO_FATAL_FAILURE(make_rootless(bundle, {"true"}));
  map_ranges(bundle, subuid_, subgid_);
  RunResult r = as_user({"run", "--bundle", bundle.dir().string(), bundle.id}, {},
                        {"PATH=" + test_dir().string()});
  EXPECT_EQ(r.exit_code, 1) << r;
  if (is_minirun()) {
    EXPECT_TRUE(contains(r.err, "newuidmap not found in $PATH")) << r;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
    EXPECT_FALSE(fs::exists(user_root() / bundle.id));
  }
  EXPECT_TRUE(no_processes_of(uid_));
}

}  // namespace
}  // namespace minirun::itest
