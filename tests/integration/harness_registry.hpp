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
};

// Cleared when a LeakCheck test starts.
TestRegistry& registry();

}  // namespace minirun::itest
