// The fixture of the rootless tests: a real unprivileged user made for each test (useradd;
// where /etc/subuid exists it grants the user a range), its own XDG_RUNTIME_DIR, and the runtime
// run as that user. TearDown deletes what the user made, kills whatever it left running and
// removes the user (userdel drops its /etc/subuid and /etc/subgid lines too).
#pragma once

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "harness.hpp"

namespace minirun::itest {

namespace fs = std::filesystem;

// The pids of the live (not zombie) processes whose real uid is uid.
inline std::vector<pid_t> processes_of(uid_t uid) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream status(e.path() / "status");
    std::string line;
    bool zombie = false, match = false;
    while (std::getline(status, line)) {
      if (line.rfind("State:", 0) == 0) zombie = line.find('Z') != std::string::npos;
      if (line.rfind("Uid:", 0) == 0) {
        std::istringstream fields(line.substr(4));
        uid_t real = 0;
        fields >> real;
        match = real == uid;
      }
    }
    if (match && !zombie) out.push_back(static_cast<pid_t>(std::stoi(name)));
  }
  return out;
}

inline bool no_processes_of(uid_t uid) {
  for (int i = 0; i < 100; ++i) {
    if (processes_of(uid).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

class Rootless : public LeakCheck {
 protected:
  void SetUp() override {
    LeakCheck::SetUp();
    if (IsSkipped()) return;
    user_ = "mr-rl-" + std::to_string(getpid());
    RunResult added = run_process({"useradd", "--no-create-home", "-s", "/bin/sh", user_});
    ASSERT_EQ(added.exit_code, 0) << added;
    made_user_ = true;
    const passwd* pw = getpwnam(user_.c_str());
    ASSERT_NE(pw, nullptr);
    uid_ = pw->pw_uid;
    gid_ = pw->pw_gid;
    xdg_ = test_dir() / "xdg";
    fs::create_directories(xdg_);
    ASSERT_EQ(chown(xdg_.c_str(), uid_, gid_), 0);
    ASSERT_EQ(chmod(xdg_.c_str(), 0700), 0);
  }

  void TearDown() override {
    if (made_user_) {
      for (const auto& id : made_) as_user({"delete", "--force", id});
      // Whatever a failed test left running as the user: only that uid's processes.
      for (pid_t pid : processes_of(uid_)) kill(pid, SIGKILL);
      EXPECT_TRUE(no_processes_of(uid_)) << "processes of " << user_ << " left";
      RunResult removed = run_process({"userdel", user_});
      EXPECT_EQ(removed.exit_code, 0) << removed;
    }
    LeakCheck::TearDown();
  }

  // The runtime as the test user, with its own XDG_RUNTIME_DIR and no --root: the default
  // state root is under test.
  // `env` adds variables (PATH=...) to the runtime's environment.
  RunResult as_user(const std::vector<std::string>& args, RunOptions opts = {},
                    const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = launcher_;
    for (const char* word :
         {"setpriv", "--reuid", user_.c_str(), "--regid", user_.c_str(), "--init-groups", "env"})
      argv.push_back(word);
    argv.push_back("XDG_RUNTIME_DIR=" + xdg_.string());
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(runtime_binary());
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, opts);
  }

  // A bundle the user owns, with the config `spec --rootless` writes for it.
  void make_rootless(Bundle& bundle, const std::vector<std::string>& args) {
    fs::remove(bundle.config_path());
    RunResult chowned = run_process({"chown", "-R", user_ + ":", bundle.dir().string()});
    ASSERT_EQ(chowned.exit_code, 0) << chowned;
    RunResult spec = as_user({"spec", "--rootless", "--bundle", bundle.dir().string()});
    ASSERT_EQ(spec.exit_code, 0) << spec;
    bundle.config = nlohmann::json::parse(read_file(bundle.config_path()));
    bundle.config["process"]["terminal"] = false;
    bundle.config["process"]["args"] = args;
    bundle.write();
    made_.push_back(bundle.id);
  }

  fs::path user_root() const { return xdg_ / (is_minirun() ? "minirun" : "runc"); }

  std::string user_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  fs::path xdg_;
  bool made_user_ = false;
  std::vector<std::string> made_;
  // Run as root before dropping to the user, ending in `exec "$@"` (a shell that moves itself
  // into the user's cgroup first, say); empty: none.
  std::vector<std::string> launcher_;
};

}  // namespace minirun::itest
