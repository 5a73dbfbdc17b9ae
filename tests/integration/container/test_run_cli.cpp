// `run` flags beyond the basics (--pid-file, --detach), the short form `run BUNDLE_DIR` and
// `spec`.
#include <sys/stat.h>

#include <csignal>
#include <regex>
#include <thread>

#include "harness.hpp"
#include "harness_spawn.hpp"

namespace minirun::itest {
namespace {

using std::chrono::milliseconds;

class RunCli : public LeakCheck {};

pid_t read_pid_file(const std::filesystem::path& file) {
  const std::string text = trim(read_file(file));
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  return static_cast<pid_t>(std::stol(text));
}

bool runs_in(pid_t pid, const std::filesystem::path& rootfs) {
  struct stat proc_root {
  }, want{};
  return stat(("/proc/" + std::to_string(pid) + "/root").c_str(), &proc_root) == 0 &&
         stat(rootfs.c_str(), &want) == 0 && proc_root.st_dev == want.st_dev &&
         proc_root.st_ino == want.st_ino;
}

bool wait_until_gone(pid_t pid, milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (kill(pid, 0) != 0) return true;
    try {
      // A zombie is dead; it waits for whichever process adopted it to reap it.
      if (contains(read_file("/proc/" + std::to_string(pid) + "/stat"), ") Z")) return true;
    } catch (const std::exception&) {
      return true;  // gone between kill() and the read
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  return false;
}

TEST_F(RunCli, PidFileNamesTheContainerProcess) {
  Bundle bundle({"true"});
  const auto pid_file = test_dir() / "container.pid";
  RunResult r = run_container(bundle, {}, {"--pid-file", pid_file.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  ASSERT_TRUE(std::filesystem::exists(pid_file)) << r;
  EXPECT_GT(read_pid_file(pid_file), 1) << "pid file: [" << read_file(pid_file) << "]";
}

TEST_F(RunCli, DetachReturnsWhileTheContainerRunsAndDeleteEndsIt) {
  Bundle bundle({"sleep", "60"});
  const auto pid_file = test_dir() / "container.pid";
  RunResult r = run_container(bundle, {}, {"--detach", "--pid-file", pid_file.string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_LT(r.elapsed, milliseconds(5000)) << r;
  const pid_t pid = read_pid_file(pid_file);
  ASSERT_GT(pid, 1) << r;
  EXPECT_TRUE(runs_in(pid, bundle.rootfs())) << "pid " << pid << " is not in the bundle's rootfs";
  auto state = container_state(bundle.id);
  EXPECT_EQ(state["status"], "running") << state;
  EXPECT_EQ(state["pid"], pid) << state;

  RunResult del = run_runtime({"delete", "--force", bundle.id});
  EXPECT_EQ(del.exit_code, 0) << del;
  EXPECT_TRUE(wait_until_gone(pid, milliseconds(3000))) << "pid " << pid << " still alive";
}

// `list` prints each container as it reads its state (one held at a time): the same rows,
// array and IDs, in ID order, as when it gathered them all first.
TEST_F(RunCli, ListShowsEveryContainerInIdOrderInEachFormat) {
  MINIRUN_SKIP_UNLESS_MINIRUN();  // runc's JSON has other fields
  Bundle second({"sleep", "60"});
  Bundle first({"sleep", "60"});
  first.id = "a-" + first.id;
  second.id = "b-" + second.id;
  for (Bundle* b : {&second, &first}) {
    delete_at_end(b->id);
    ASSERT_EQ(run_container(*b, {}, {"--detach"}).exit_code, 0);
  }
  EXPECT_EQ(run_runtime({"list", "-q"}).out, first.id + "\n" + second.id + "\n");
  auto listed = nlohmann::json::parse(run_runtime({"list", "--format", "json"}).out);
  ASSERT_EQ(listed.size(), 2u) << listed;
  EXPECT_EQ(listed[0]["id"], first.id);
  EXPECT_EQ(listed[1]["status"], "running");
  EXPECT_EQ(listed[1]["owner"], "root");
  auto table = run_runtime({"list"}).out_lines();
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[0].rfind("ID ", 0), 0u) << table[0];
  EXPECT_EQ(table[1].rfind(first.id + " ", 0), 0u) << table[1];
  EXPECT_TRUE(contains(table[2], " running ")) << table[2];
}

// run execs the process as soon as init is ready (no start signal to wait for): an exec that
// fails must still come back as run's error, with nothing left behind.
TEST_F(RunCli, MissingExecutableFailsTheRunInOneLine) {
  Bundle bundle({"no-such-command"});
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_TRUE(contains(r.err, "exec: \"no-such-command\": executable file not found in $PATH"))
      << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
  EXPECT_FALSE(std::filesystem::exists(state_root() / bundle.id)) << r;
}

// --debug: each step with its duration, from the process that ran it (the parent by its pid,
// init as [1]); the steps a teacher points at are there, in their order within each process.
TEST_F(RunCli, DebugTracesEachStepWithItsDuration) {
  MINIRUN_SKIP_UNLESS_MINIRUN();  // runc's --debug prints its own log
  Bundle bundle({"true"});
  bundle.write();
  RunResult r = run_runtime({"--debug", "run", "--bundle", bundle.dir().string(), bundle.id});
  ASSERT_EQ(r.exit_code, 0) << r;
  std::vector<std::string> parent, init;
  for (const auto& line : r.err_lines()) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(debug: \[(\d+)\] (.*) \(\d+ us\))")))
        << line;
    (m[1] == "1" ? init : parent).push_back(m[2]);
  }
  auto position = [](const std::vector<std::string>& steps, const std::string& prefix) {
    for (size_t i = 0; i < steps.size(); ++i)
      if (steps[i].rfind(prefix, 0) == 0) return static_cast<int>(i);
    return -1;
  };
  std::vector<std::string> parent_order = {
      "config load, validate, plan",        "cgroups create",
      "network namespace made beside init", "loopback up lo",
      "clone into new namespaces",          "container process ran and exited"};
  // What no later mount can touch is done before init waits for the parent (rootfs_order.hpp).
  std::vector<std::string> init_order = {"mount proc on /proc",
                                         "dev device nodes",
                                         "masked paths ahead of the wait for the parent",
                                         "wait for parent",
                                         "mount sysfs on /sys",
                                         "pivot_root",
                                         "masked paths after the sysctls",
                                         "capabilities",
                                         "exec /bin/true"};
  for (const auto* order : {&parent_order, &init_order}) {
    const auto& steps = order == &parent_order ? parent : init;
    int last = -1;
    for (const auto& step : *order) {
      int at = position(steps, step);
      EXPECT_GT(at, last) << "\"" << step << "\" missing or out of order in:\n" << r.err;
      last = std::max(last, at);
    }
  }
}

TEST_F(RunCli, ShortFormTakesTheIdFromTheBundleDirectory) {
  MINIRUN_SKIP_UNLESS_MINIRUN();  // runc has no `run BUNDLE_DIR`
  Bundle bundle({"sh", "-c", "echo short form; exit 4"});
  bundle.write();
  RunResult r = run_runtime({"run", bundle.dir().string()});
  EXPECT_EQ(r.exit_code, 4) << r;
  EXPECT_EQ(r.out, "short form\n") << r;
}

TEST_F(RunCli, SpecWritesADefaultConfigThatRuns) {
  Bundle bundle;
  std::filesystem::remove(bundle.config_path());
  RunResult spec = run_runtime({"spec", "--bundle", bundle.dir().string()});
  ASSERT_EQ(spec.exit_code, 0) << spec;
  nlohmann::json config = nlohmann::json::parse(read_file(bundle.config_path()));
  EXPECT_EQ(config["root"]["path"], "rootfs");
  EXPECT_TRUE(config["process"]["terminal"].get<bool>()) << "like runc spec: terminal true";
  config["process"]["terminal"] = false;
  config["process"]["args"] = {"sh", "-c", "echo from spec"};
  bundle.config = config;
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "from spec\n") << r;
}

// Two `start`s of one created container at once: the state lock lets exactly one win; the
// other sees a running container (runc's words), and the process runs once.
TEST_F(RunCli, ConcurrentStartsStartOnce) {
  Bundle bundle({"sh", "-c", "echo started; sleep 30"});
  bundle.write();
  RunResult created = run_runtime({"create", "--bundle", bundle.dir().string(), bundle.id});
  ASSERT_EQ(created.exit_code, 0) << created;
  std::vector<std::string> start = {runtime_binary(), "--root", state_root().string(), "start",
                                    bundle.id};
  Spawned first(start, Stdio::pipes), second(start, Stdio::pipes);
  RunResult a = first.wait(), b = second.wait();
  EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a << b;
  const RunResult& loser = a.exit_code == 0 ? b : a;
  if (is_minirun()) {
    EXPECT_TRUE(contains(loser.err, "cannot start an already running container")) << loser;
  }
  RunResult state = run_runtime({"state", bundle.id});
  EXPECT_TRUE(contains(state.out, "\"running\"")) << state;
  EXPECT_EQ(run_runtime({"delete", "--force", bundle.id}).exit_code, 0);
}

// runc's `help` and `help COMMAND` print what `--help` and `COMMAND --help` print.
TEST_F(RunCli, HelpCommandShowsTheCommandsOrOneCommandsOptions) {
  RunResult all = run_runtime({"help"});
  EXPECT_EQ(all.exit_code, 0) << all;
  EXPECT_EQ(all.out, run_runtime({"--help"}).out);
  if (is_minirun()) {
    EXPECT_TRUE(contains(all.out, "delete")) << all;
  }

  RunResult kill = run_runtime({"help", "kill"});
  EXPECT_EQ(kill.exit_code, 0) << kill;
  EXPECT_EQ(kill.out, run_runtime({"kill", "--help"}).out);
  EXPECT_TRUE(contains(kill.out, "--all")) << kill;

  RunResult unknown = run_runtime({"help", "no-such-command"});
  EXPECT_NE(unknown.exit_code, 0) << unknown;
  if (is_minirun()) {
    EXPECT_EQ(unknown.err, "minirun: no help topic for \"no-such-command\"\n") << unknown;
  }
}

}  // namespace
}  // namespace minirun::itest
