#include "harness.hpp"

#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#ifndef MINIRUN_BINARY
#define MINIRUN_BINARY "minirun"
#endif

namespace minirun::itest {
namespace fs = std::filesystem;

namespace {

std::string sanitized_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "outside-tests";
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  }
  return name;
}

// Bundles are made and removed by the hundred: on a tmpfs that costs ~2 ms each instead of
// ~50 ms on ext4 (hundreds of applet links). $MINIRUN_TEST_TMPDIR overrides.
fs::path scratch_parent() {
  const char* env = std::getenv("MINIRUN_TEST_TMPDIR");
  if (env != nullptr && *env != '\0') return env;
  struct statfs sfs {};
  if (statfs("/dev/shm", &sfs) == 0 && sfs.f_type == TMPFS_MAGIC && access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  return fs::temp_directory_path();
}

// A test process that crashed left its minirun-it.<pid>: remove those whose pid is gone.
void remove_stale_scratch_dirs(const fs::path& parent) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    const std::string prefix = "minirun-it.";
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!fs::exists("/proc/" + pid, ec)) remove_tree(e.path());
  }
}

// Says once which runtime is under test, and removes the per-process directory at exit.
class HarnessEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::cout << "[ harness  ] runtime under test: " << runtime_binary()
              << (is_minirun() ? "" : " (not minirun: minirun-only assertions are skipped)")
              << "\n";
  }
  void TearDown() override {
    std::error_code ec;
    if (fs::exists(base_dir(), ec)) remove_tree(base_dir());
  }
};

[[maybe_unused]] ::testing::Environment* const harness_environment =
    ::testing::AddGlobalTestEnvironment(new HarnessEnvironment);

}  // namespace

TestRegistry& registry() {
  static TestRegistry r;
  return r;
}

std::string runtime_binary() {
  const char* env = std::getenv("MINIRUN_TEST_BINARY");
  return env != nullptr && *env != '\0' ? env : MINIRUN_BINARY;
}

bool is_minirun() {
  return fs::path(runtime_binary()).filename().string().find("minirun") != std::string::npos;
}

bool is_root() {
  return geteuid() == 0;
}

const fs::path& base_dir() {
  static std::once_flag once;
  static fs::path dir;
  std::call_once(once, [] {
    remove_stale_scratch_dirs(scratch_parent());
    dir = scratch_parent() / ("minirun-it." + std::to_string(getpid()));
    remove_tree(dir);
    fs::create_directories(dir);
  });
  return dir;
}

fs::path test_dir() {
  fs::path dir = base_dir() / sanitized_test_name();
  fs::create_directories(dir);
  return dir;
}

fs::path state_root() {
  fs::path dir = test_dir() / "state";
  fs::create_directories(dir);
  return dir;
}

fs::path runc_state_root() {
  fs::path dir = test_dir() / "runc-state";
  fs::create_directories(dir);
  return dir;
}

RunResult run_runtime(const std::vector<std::string>& args, const RunOptions& opts) {
  std::vector<std::string> argv{opts.binary.empty() ? runtime_binary() : opts.binary};
  if (opts.pass_root) {
    argv.push_back("--root");
    argv.push_back(opts.state_root.empty() ? state_root().string() : opts.state_root);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, opts);
}

RunResult run_container(Bundle& bundle, const RunOptions& opts,
                        const std::vector<std::string>& run_flags) {
  bundle.write();
  std::vector<std::string> args{"run", "--bundle", bundle.dir().string()};
  args.insert(args.end(), run_flags.begin(), run_flags.end());
  args.push_back(bundle.id);
  return run_runtime(args, opts);
}

RunResult run_detached(Bundle& bundle, RunOptions opts, const std::vector<std::string>& run_flags) {
  if (opts.output_file.empty()) opts.output_file = (test_dir() / (bundle.id + ".out")).string();
  std::vector<std::string> flags{"--detach"};
  flags.insert(flags.end(), run_flags.begin(), run_flags.end());
  return run_container(bundle, opts, flags);
}

nlohmann::json container_state(const std::string& id) {
  RunResult r = run_runtime({"state", id});
  if (r.exit_code != 0) return nullptr;
  return nlohmann::json::parse(r.out);
}

std::string container_status(const std::string& id) {
  RunResult r = run_runtime({"state", id});
  if (r.exit_code != 0) return "state failed: " + r.err;
  return nlohmann::json::parse(r.out).value("status", "(no status)");
}

bool wait_for_status(const std::string& id, const std::string& status,
                     std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (container_status(id) != status) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string test_cgroup_parent() {
  const std::string parent = "/minirun-it-" + std::to_string(getpid());
  auto& parents = registry().cgroup_parents;
  if (std::find(parents.begin(), parents.end(), parent) == parents.end()) {
    parents.push_back(parent);
  }
  return parent;
}

RunResult shell(const std::string& script, const RunOptions& opts) {
  return run_process({"sh", "-c", script}, opts);
}

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string runtime_command_line() {
  return shell_quote(runtime_binary()) + " --root " + shell_quote(state_root().string());
}

bool runc_available() {
  return access(kRuncPath, X_OK) == 0;
}

Comparison run_with_runc_too(Bundle& bundle, const RunOptions& opts) {
  Comparison c;
  c.ours = run_container(bundle, opts);
  RunOptions runc_opts = opts;
  runc_opts.binary = kRuncPath;
  runc_opts.state_root = runc_state_root().string();
  runc_opts.pass_root = true;
  const std::string runc_id = bundle.id + "-runc";
  registry().container_ids.push_back(runc_id);
  c.runc = run_runtime({"run", "--bundle", bundle.dir().string(), runc_id}, runc_opts);
  return c;
}

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace minirun::itest
