// Between loading the seccomp filter and execve the runtime makes only the calls runc's init
// makes there (spec/post_filter_syscalls.hpp): a profile that allows exactly those plus what
// busybox needs, and kills the process on any other call, must start a container in every
// shape: with and without noNewPrivileges, a terminal, --preserve-fds, a startContainer hook,
// and through exec. The same profile with an errno default (the usual allow-list shape) as
// well. Run under runc too.
#include <unistd.h>

#include "harness.hpp"
#include "spec/post_filter_syscalls.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class SeccompWindow : public LeakCheck {};

// What busybox's sh, echo and true call on x86_64 (strace), beyond the runtime's list.
constexpr const char* kBusybox[] = {"arch_prctl",
                                    "brk",
                                    "exit_group",
                                    "getrandom",
                                    "getuid",
                                    "mprotect",
                                    "prlimit64",
                                    "readlink",
                                    "rseq",
                                    "set_robust_list",
                                    "set_tid_address",
                                    "uname",
                                    "ioctl",
                                    "clock_nanosleep",
                                    "dup2"};

json window_profile(const std::string& default_action) {
  json names = json::array();
  for (auto name : spec::kPostFilterSyscalls) names.push_back(std::string(name));
  for (const char* name : kBusybox) names.push_back(name);
  return {{"defaultAction", default_action},
          {"architectures", {"SCMP_ARCH_X86_64"}},
          {"syscalls", {{{"names", names}, {"action", "SCMP_ACT_ALLOW"}}}}};
}

struct Shape {
  const char* name;
  const char* default_action;
  bool no_new_privileges;
};

class SeccompWindowShapes : public SeccompWindow, public ::testing::WithParamInterface<Shape> {
 protected:
  void shape(Bundle& bundle) {
    bundle.config["process"]["noNewPrivileges"] = GetParam().no_new_privileges;
    bundle.config["linux"]["seccomp"] = window_profile(GetParam().default_action);
  }
};

TEST_P(SeccompWindowShapes, Run) {
  Bundle bundle({"echo", "ok"});
  shape(bundle);
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "ok\n") << r;
}

TEST_P(SeccompWindowShapes, CreateAndStartWithAStartContainerHook) {
  Bundle bundle({"echo", "ok"});
  shape(bundle);
  bundle.config["hooks"]["startContainer"] = {{{"path", "/bin/true"}}};
  delete_at_end(bundle.id);
  bundle.write();
  RunOptions to_file;
  to_file.output_file = (test_dir() / "c.out").string();
  RunResult create = run_runtime({"create", "--bundle", bundle.dir().string(), bundle.id}, to_file);
  ASSERT_EQ(create.exit_code, 0) << create;
  RunResult start = run_runtime({"start", bundle.id});
  EXPECT_EQ(start.exit_code, 0) << start;
  EXPECT_TRUE(wait_for_status(bundle.id, "stopped")) << container_status(bundle.id);
  EXPECT_EQ(read_file(test_dir() / "c.out"), "ok\n");
}

TEST_P(SeccompWindowShapes, PreservedFds) {
  Bundle bundle({"sh", "-c", "echo ok >&3"});
  shape(bundle);
  bundle.write();
  const std::string out = (test_dir() / "fd3").string();
  RunResult r = shell("exec 3>" + shell_quote(out) + "; " + runtime_command_line() +
                      " run --preserve-fds 1 --bundle " + shell_quote(bundle.dir().string()) + " " +
                      bundle.id);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(read_file(out), "ok\n");
}

TEST_P(SeccompWindowShapes, Terminal) {
  Bundle bundle({"echo", "ok"});
  shape(bundle);
  bundle.config["process"]["terminal"] = true;
  bundle.write();
  Spawned run(run_argv(bundle), Stdio::pty, TerminalSize{24, 80});
  RunResult r = run.wait();
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "ok")) << r;
}

TEST_P(SeccompWindowShapes, Exec) {
  Bundle bundle({"sleep", "10"});
  shape(bundle);
  delete_at_end(bundle.id);
  RunResult run = run_detached(bundle);
  ASSERT_EQ(run.exit_code, 0) << run;
  RunResult r = run_runtime({"exec", bundle.id, "echo", "ok"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "ok\n") << r;
}

INSTANTIATE_TEST_SUITE_P(Profiles, SeccompWindowShapes,
                         ::testing::Values(Shape{"KillNoNewPrivs", "SCMP_ACT_KILL_PROCESS", true},
                                           Shape{"KillPrivileged", "SCMP_ACT_KILL_PROCESS", false},
                                           Shape{"ErrnoNoNewPrivs", "SCMP_ACT_ERRNO", true},
                                           Shape{"ErrnoPrivileged", "SCMP_ACT_ERRNO", false}),
                         [](const auto& info) { return std::string(info.param.name); });

// --- runc's ENOSYS stub ----------------------------------------------------------------------

// A profile from before clone3 (the highest call it names is older): glibc falls back to clone
// only on ENOSYS, so clone3 must get ENOSYS, not the default EPERM. A profile that names
// clone3 keeps its own answer.
json pre_clone3_profile(bool name_clone3) {
  json names = json::array();
  for (auto name : spec::kPostFilterSyscalls)
    if (name != "faccessat2") names.push_back(std::string(name));  // 439: newer than clone3
  for (const char* name : kBusybox) names.push_back(name);
  json rules = {{{"names", names}, {"action", "SCMP_ACT_ALLOW"}}};
  if (name_clone3)
    rules.push_back({{"names", {"clone3"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 13}});
  return {{"defaultAction", "SCMP_ACT_ERRNO"},
          {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
          {"syscalls", rules}};
}

TEST_F(SeccompWindow, CallsNewerThanTheProfileGetEnosys) {
  Bundle bundle({"/clone3_probe"});
  std::filesystem::copy_file(CLONE3_PROBE, bundle.rootfs() / "clone3_probe");
  bundle.config["linux"]["seccomp"] = pre_clone3_profile(false);
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "clone3: errno 38\n") << "ENOSYS, glibc's cue to use clone" << r;
}

TEST_F(SeccompWindow, ACallTheProfileNamesKeepsItsAction) {
  Bundle bundle({"/clone3_probe"});
  std::filesystem::copy_file(CLONE3_PROBE, bundle.rootfs() / "clone3_probe");
  bundle.config["linux"]["seccomp"] = pre_clone3_profile(true);
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "clone3: errno 13\n") << r;
}

// Without a profile default that denies, nothing is stubbed: clone3 works.
TEST_F(SeccompWindow, AnAllowingDefaultGetsNoStub) {
  Bundle bundle({"/clone3_probe"});
  std::filesystem::copy_file(CLONE3_PROBE, bundle.rootfs() / "clone3_probe");
  bundle.config["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"syscalls", {{{"names", {"mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}}}}};
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "clone3: ok\n") << r;
}

}  // namespace
}  // namespace minirun::itest
