// The harness checks itself: subprocess handling, bundles and leak detection. These need
// neither the runtime under test nor (except where said) root.
#include <sys/mount.h>

#include <csignal>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using std::chrono::milliseconds;

TEST(HarnessRunProcess, CapturesExitCodeStdoutAndStderr) {
  RunResult r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_EQ(r.out, "out\n") << r;
  EXPECT_EQ(r.err, "err\n") << r;
}

TEST(HarnessRunProcess, ReportsDeathBySignalAs128PlusSignal) {
  RunResult r = run_process({"sh", "-c", "kill -9 $$"});
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r;
}

TEST(HarnessRunProcess, FeedsStdinAndClosesIt) {
  RunOptions opts;
  opts.stdin_data = "hello\nworld\n";
  RunResult r = run_process({"cat"}, opts);
  EXPECT_EQ(r.out, "hello\nworld\n") << r;
}

TEST(HarnessRunProcess, StdinIsDevNullByDefault) {
  RunResult r = run_process({"cat"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "") << r;
}

TEST(HarnessRunProcess, KillsTheProcessGroupOnTimeout) {
  RunOptions opts;
  opts.timeout = milliseconds(300);
  RunResult r = run_process({"sh", "-c", "sleep 20; echo never"}, opts);
  EXPECT_TRUE(r.timed_out) << r;
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r;
  EXPECT_LT(r.elapsed, milliseconds(5000)) << r;
}

TEST(HarnessRunProcess, MissingProgramExits127) {
  RunResult r = run_process({"/nonexistent/program"});
  EXPECT_EQ(r.exit_code, 127) << r;
  EXPECT_NE(r.err.find("No such file"), std::string::npos) << r;
}

TEST(HarnessRunProcess, ExtraEnvironmentReachesTheChild) {
  RunOptions opts;
  opts.extra_env = {"MINIRUN_HARNESS_PROBE=42"};
  RunResult r = run_process({"sh", "-c", "echo $MINIRUN_HARNESS_PROBE"}, opts);
  EXPECT_EQ(r.out, "42\n") << r;
}

// `run -d` hands our pipes to the container; we must not wait for it to exit.
TEST(HarnessRunProcess, ADetachedGrandchildHoldingThePipesDoesNotBlock) {
  RunResult r = run_process({"sh", "-c", "sleep 20 & echo started"});
  const pid_t group = registry().process_groups.back();
  kill(-group, SIGKILL);
  EXPECT_EQ(r.out, "started\n") << r;
  EXPECT_LT(r.elapsed, milliseconds(5000)) << r;
}

// `run -d` and `exec -d`: a file instead of pipes, so nothing waits for the detached process.
TEST(HarnessRunProcess, OutputFileTakesStdoutAndStderr) {
  RunOptions opts;
  opts.output_file = (test_dir() / "output").string();
  RunResult r = run_process({"sh", "-c", "echo out; echo err >&2; sleep 20 & exit 0"}, opts);
  kill(-registry().process_groups.back(), SIGKILL);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "out\nerr\n") << r;
  EXPECT_EQ(r.err, "") << r;
  EXPECT_LT(r.elapsed, milliseconds(150)) << r;  // no drain grace for a held pipe
  remove_tree(test_dir());
}

TEST(HarnessShell, QuotesAWordForSh) {
  RunResult r = shell("printf '%s|' " + shell_quote("it's a $word") + " " + shell_quote(""));
  EXPECT_EQ(r.out, "it's a $word||") << r;
}

TEST(HarnessBundle, RootfsIsABusyboxWithRelativeAppletLinks) {
  Bundle bundle;
  EXPECT_TRUE(std::filesystem::is_regular_file(bundle.rootfs() / "bin/busybox"));
  EXPECT_EQ(std::filesystem::read_symlink(bundle.rootfs() / "bin/sh"), "busybox");
  EXPECT_TRUE(contains(read_file(bundle.rootfs() / "etc/passwd"), "nobody:x:65534:65534"));
  for (const char* d : {"proc", "sys", "dev", "tmp", "root", "etc"}) {
    EXPECT_TRUE(std::filesystem::is_directory(bundle.rootfs() / d)) << d;
  }
}

TEST(HarnessBundle, WriteStoresTheEditedConfigOrTheRawText) {
  Bundle bundle({"echo", "hi"});
  bundle.config["hostname"] = "edited";
  bundle.write();
  auto written = nlohmann::json::parse(read_file(bundle.config_path()));
  EXPECT_EQ(written["hostname"], "edited");
  EXPECT_EQ(written["process"]["args"], nlohmann::json({"echo", "hi"}));
  bundle.raw_config = "{ not json";
  bundle.write();
  EXPECT_EQ(read_file(bundle.config_path()), "{ not json");
}

TEST(HarnessBundle, IsRemovedOnDestruction) {
  std::filesystem::path dir;
  {
    Bundle bundle;
    dir = bundle.dir();
    ASSERT_TRUE(std::filesystem::exists(dir / "rootfs/bin/busybox"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// default_spec() is meant to be `runc spec` with terminal=false: keep it honest.
TEST(HarnessBundle, DefaultSpecEqualsRuncSpecWithoutTerminal) {
  MINIRUN_SKIP_UNLESS_RUNC();
  std::filesystem::path dir = test_dir() / "runc-spec";
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / "config.json");  // left by an earlier --gtest_repeat round
  RunResult r = run_process({kRuncPath, "spec", "--bundle", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  auto expected = nlohmann::json::parse(read_file(dir / "config.json"));
  expected["process"]["terminal"] = false;
  expected["process"]["args"] = {"sh"};
  EXPECT_EQ(default_spec({"sh"}), expected)
      << "diff: " << nlohmann::json::diff(default_spec({"sh"}), expected);
}

TEST(HarnessLeakCheck, SnapshotSeesAMountUnderTheTestDirectory) {
  MINIRUN_SKIP_UNLESS_ROOT();
  std::filesystem::path target = test_dir() / "rootfs-probe";
  std::filesystem::create_directories(target);
  ASSERT_EQ(mount("tmpfs", target.c_str(), "tmpfs", 0, nullptr), 0);
  LeakSnapshot with = take_leak_snapshot();
  umount2(target.c_str(), MNT_DETACH);
  LeakSnapshot without = take_leak_snapshot();
  EXPECT_TRUE(with.mounts.count(target.string()));
  EXPECT_FALSE(without.mounts.count(target.string()));
  remove_tree(test_dir());
}

TEST(HarnessLeakCheck, SnapshotSeesAProcessInAGroupWeStarted) {
  RunResult r = run_process({"sh", "-c", "sleep 20 & echo started"});
  const pid_t group = registry().process_groups.back();
  LeakSnapshot s = take_leak_snapshot();
  kill(-group, SIGKILL);
  bool seen = false;
  for (const auto& [pid, why] : s.processes) seen |= contains(why, "sleep 20");
  EXPECT_TRUE(seen) << r;
}

}  // namespace
}  // namespace minirun::itest
