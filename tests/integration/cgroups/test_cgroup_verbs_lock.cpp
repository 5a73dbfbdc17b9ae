// pause, resume and update hold the container's state lock, as start, kill and delete do:
// a pause racing a `delete --force` either freezes first (and delete thaws and kills) or finds
// no container; it never freezes what delete is killing, which would leave it unkillable on
// a v1 freezer.
#include <filesystem>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class CgroupVerbsLock : public LeakCheck {};

TEST_F(CgroupVerbsLock, PauseRacingDeleteLeavesNothing) {
  for (int round = 0; round < 5; ++round) {
    Bundle bundle({"sleep", "1000"});
    bundle.config["linux"]["cgroupsPath"] = test_cgroup_parent() + "/" + bundle.id;
    delete_at_end(bundle.id);
    RunResult started = run_detached(bundle);
    ASSERT_EQ(started.exit_code, 0) << started;
    auto paths = json::parse(read_file(state_root() / bundle.id / "state.json"))["cgroup_paths"];
    const std::string rt = runtime_command_line();
    const std::string pause_out = (test_dir() / ("pause-" + bundle.id)).string();
    RunResult race =
        shell(rt + " pause " + bundle.id + " >" + shell_quote(pause_out) + " 2>&1 & " + rt +
              " delete --force " + bundle.id + "; echo delete=$?; wait $!; echo pause=$?");
    EXPECT_TRUE(contains(race.out, "delete=0")) << race;
    if (!contains(race.out, "pause=0")) {
      const std::string said = read_file(pause_out);
      EXPECT_TRUE(contains(said, "does not exist") || contains(said, "container not running"))
          << said;
    }
    EXPECT_FALSE(fs::exists(state_root() / bundle.id));
    for (auto& [key, dir] : paths.items()) EXPECT_FALSE(fs::exists(dir.get<std::string>())) << key;
  }
}

}  // namespace
}  // namespace minirun::itest
