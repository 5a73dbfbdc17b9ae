// What the current test created: the leak check looks for leftovers of exactly these.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace minirun::itest {

struct CreatedRootfs {
  dev_t dev = 0;
  ino_t ino = 0;  // a container process whose / has this dev+ino runs in this rootfs
  std::string path;
};

struct TestRegistry {
  std::vector<pid_t> process_groups;  // every run_process() child leads its own group
  std::vector<CreatedRootfs> rootfs_dirs;
  std::vector<std::string> container_ids;
  // cgroupsPath parents the test chose (test_cgroup_parent()), e.g. "/minirun-it-123".
  std::vector<std::string> cgroup_parents;
  // Read ends of stdout/stderr pipes still held by a detached container when run_process()
  // returned. Kept open (closing them would SIGPIPE the container's next write) until the
  // test ends.
  std::vector<int> lingering_fds;
};

// Cleared when a LeakCheck test starts.
TestRegistry& registry();

}  // namespace minirun::itest
