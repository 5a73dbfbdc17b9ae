// Integration-test harness: include this one header.
//
//   class RunBasic : public minirun::itest::LeakCheck {};   // root-only, leak-checked
//   TEST_F(RunBasic, ExitCode) {
//     Bundle bundle({"sh", "-c", "exit 7"});
//     bundle.config["hostname"] = "box";          // edit the config as JSON
//     RunResult r = run_container(bundle);        // `<runtime> --root <per-test> run -b DIR ID`
//     EXPECT_EQ(r.exit_code, 7) << r;             // streaming r prints the command and output
//   }
//
// The runtime under test is $MINIRUN_TEST_BINARY, else the minirun built with the tests.
// Run the suite against runc to check the tests themselves:
//   MINIRUN_TEST_BINARY=$(command -v runc) build/tests/integration_tests
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness_bundle.hpp"
#include "harness_fs.hpp"
#include "harness_leak_check.hpp"
#include "harness_netns.hpp"
#include "harness_registry.hpp"
#include "harness_spawn.hpp"
#include "harness_subprocess.hpp"

namespace minirun::itest {

// --- the runtime under test -------------------------------------------------------------
std::string runtime_binary();
// True when the runtime under test is minirun (not runc/crun): guards assertions on
// minirun's own wording, while exit codes and leak checks apply to every runtime.
bool is_minirun();
bool is_root();

// --- per-process and per-test directories -----------------------------------------------
// /dev/shm/minirun-it.<pid> (a tmpfs, for speed; else $TMPDIR), or under $MINIRUN_TEST_TMPDIR.
// Removed at exit.
const std::filesystem::path& base_dir();
std::filesystem::path test_dir();    // base_dir()/<Suite.Test>, created on first use
std::filesystem::path state_root();  // test_dir()/state: --root for the runtime under test

// --- running containers ---------------------------------------------------------------
// `<runtime> --root <state_root()> ARGS...`, see RunOptions for the knobs.
RunResult run_runtime(const std::vector<std::string>& args, const RunOptions& opts = {});
// Writes the bundle's config, then `<runtime> --root R run --bundle DIR [FLAGS...] ID`.
RunResult run_container(Bundle& bundle, const RunOptions& opts = {},
                        const std::vector<std::string>& run_flags = {});
// run_container() with --detach. The container keeps the stdio it is given, so its stdout and
// stderr go to test_dir()/<id>.out (RunResult::out: what was written until `run` exited)
// unless opts.output_file names another file. Pair it with LeakCheck::delete_at_end().
RunResult run_detached(Bundle& bundle, RunOptions opts = {},
                       const std::vector<std::string>& run_flags = {});

// `state ID` parsed; null when `state` fails.
nlohmann::json container_state(const std::string& id);
// The status `state ID` reports, or "state failed: <its stderr>" for the assertion message.
std::string container_status(const std::string& id);
// Polls container_status() until it is `status`; false after `limit`.
bool wait_for_status(const std::string& id, const std::string& status,
                     std::chrono::milliseconds limit = std::chrono::seconds(5));

// A cgroupsPath parent of the test's own, "/minirun-it-<pid>": the leak check also looks for
// containers' cgroups below it, and removes it from every hierarchy when the test ends.
std::string test_cgroup_parent();

// --- shell scripts ----------------------------------------------------------------------
// `sh -c SCRIPT`: for pipes, redirections and fds opened by the shell.
RunResult shell(const std::string& script, const RunOptions& opts = {});
// The word as one single-quoted shell word.
std::string shell_quote(const std::string& word);
// `'<runtime>' --root '<state_root()>'`, to start a runtime command line in a script.
std::string runtime_command_line();

// --- comparing with runc --------------------------------------------------------------
inline constexpr const char* kRuncPath = "/usr/sbin/runc";
bool runc_available();
std::filesystem::path runc_state_root();  // test_dir()/runc-state

struct Comparison {
  RunResult ours;
  RunResult runc;
};
// Runs the same bundle under the runtime under test, then under runc (own state root and
// container ID). Call MINIRUN_SKIP_UNLESS_RUNC() first.
Comparison run_with_runc_too(Bundle& bundle, const RunOptions& opts = {});

// --- small text helpers -----------------------------------------------------------------
std::string trim(const std::string& s);
bool contains(const std::string& haystack, const std::string& needle);

}  // namespace minirun::itest

#define MINIRUN_SKIP_UNLESS_ROOT()                                                   \
  do {                                                                               \
    if (!::minirun::itest::is_root()) GTEST_SKIP() << "integration tests need root"; \
  } while (0)

#define MINIRUN_SKIP_UNLESS_RUNC()                                 \
  do {                                                             \
    if (!::minirun::itest::runc_available())                       \
      GTEST_SKIP() << "runc not installed (apt-get install runc)"; \
  } while (0)

#define MINIRUN_SKIP_UNLESS_MINIRUN()                                                      \
  do {                                                                                     \
    if (!::minirun::itest::is_minirun()) GTEST_SKIP() << "checks minirun's own behaviour"; \
  } while (0)
