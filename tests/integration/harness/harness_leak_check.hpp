// A fixture base that fails a test which leaves anything behind, then cleans it up so one
// failure does not cascade into the next test.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace minirun::itest {

struct LeakSnapshot {
  // Host mount points under base_dir().
  std::set<std::string> mounts;
  // Names in /run/netns (what `ip netns list` prints) starting "mr-it-<test process pid>-":
  // a test that makes a named netns must name it so.
  std::set<std::string> netns;
  // Entries of this test's state roots (runtime under test and runc), as full paths.
  std::set<std::string> state_entries;
  // Cgroup directories named after this test's container IDs.
  std::set<std::string> cgroups;
  // Live processes that are ours: in a process group run_process() started, mentioning the
  // test's directory on their command line, or whose / is one of the test's rootfs dirs.
  std::map<pid_t, std::string> processes;  // pid -> reason and command line
};

LeakSnapshot take_leak_snapshot();

// What `after` holds that `before` did not.
LeakSnapshot leaks_between(const LeakSnapshot& before, const LeakSnapshot& after);
// One line per leftover ("cgroup /sys/fs/cgroup/...", "process 123 ..."), for a message.
std::vector<std::string> describe_leaks(const LeakSnapshot& leaks);
// Deletes, kills, unmounts and removes leftovers that are provably the test's (see TearDown).
void remove_leaks(const LeakSnapshot& leaks);

// Derive test fixtures from this. It skips the test when not root, snapshots the machine in
// SetUp and, in TearDown, fails the test for anything new (mounts, netns, state entries,
// cgroups, processes), then deletes, kills, unmounts and removes what is provably the test's,
// the cgroup parents it chose, and the test's directory.
class LeakCheck : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // For a container the test leaves running or created on purpose: TearDown runs
  // `delete --force ID` before the leak check, which then checks that delete left nothing.
  void delete_at_end(const std::string& id);

 private:
  LeakSnapshot before_;
  bool active_ = false;
  std::vector<std::string> delete_at_end_;
};

}  // namespace minirun::itest
