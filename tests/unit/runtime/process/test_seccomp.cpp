#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <functional>

#include "runtime/process/seccomp.hpp"
#include "runtime/process/security.hpp"

namespace minirun::runtime {
namespace {

constexpr uint32_t kMarkerErrno = 99;  // distinctive: no syscall below fails with it by itself

spec::SeccompSyscall rule(std::vector<std::string> names, std::string action,
                          std::optional<uint32_t> errno_ret = std::nullopt,
                          std::vector<spec::SeccompArg> args = {}) {
  return spec::SeccompSyscall{std::move(names), std::move(action), errno_ret, std::move(args)};
}

spec::Seccomp allow_by_default() {
  spec::Seccomp sc;
  sc.defaultAction = "SCMP_ACT_ALLOW";
  return sc;
}

SeccompProgram compile_ok(const spec::Seccomp& sc) {
  auto result = compile_seccomp(sc);
  EXPECT_TRUE(result.ok()) << result.error().describe();
  if (!result.ok() || !result->has_value()) return {};
  return std::move(**result);
}

// Runs body in a forked child with no_new_privs set and the program installed; the child's
// exit code is body's return value (or 100+ for setup failures).
int run_filtered(const SeccompProgram& program, const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    if (!set_no_new_privs()) _exit(100);
    if (!install_seccomp(program)) _exit(101);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

// Exit code 0 when the syscall failed with kMarkerErrno.
int expect_marker(long rc) {
  return rc == -1 && errno == static_cast<int>(kMarkerErrno) ? 0 : 1;
}

TEST(CompileSeccomp, NoSectionGivesNothing) {
  auto result = compile_seccomp(std::nullopt);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->has_value());
}

TEST(CompileSeccomp, AllowDefaultWithErrnoRule) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"getppid", "uname"}, "SCMP_ACT_ERRNO", kMarkerErrno));
  auto program = compile_ok(sc);
  EXPECT_GT(program.filter.size(), 4u);
  EXPECT_EQ(program.flags, 0u);
}

TEST(CompileSeccomp, KillDefault) {
  spec::Seccomp sc;
  sc.defaultAction = "SCMP_ACT_KILL";
  sc.syscalls.push_back(rule({"read", "write", "exit_group"}, "SCMP_ACT_ALLOW"));
  EXPECT_FALSE(compile_ok(sc).filter.empty());
}

TEST(CompileSeccomp, FlagsMapToSyscallBits) {
  auto sc = allow_by_default();
  sc.flags = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
              "SECCOMP_FILTER_FLAG_TSYNC"};
  EXPECT_EQ(compile_ok(sc).flags,
            static_cast<unsigned>(SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |
                                  SECCOMP_FILTER_FLAG_TSYNC));
}

TEST(CompileSeccomp, UnknownFlagIsAnError) {
  auto sc = allow_by_default();
  sc.flags = {"SECCOMP_FILTER_FLAG_BOGUS"};
  auto result = compile_seccomp(sc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().step, "seccomp");
}

TEST(CompileSeccomp, EveryOperatorCompiles) {
  auto sc = allow_by_default();
  for (const char* op : {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
                         "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"})
    sc.syscalls.push_back(rule({"dup3"}, "SCMP_ACT_ERRNO", std::nullopt, {{2, 0xff, 0x10, op}}));
  EXPECT_FALSE(compile_ok(sc).filter.empty());
}

TEST(CompileSeccomp, BadOperatorIsAnError) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"dup"}, "SCMP_ACT_ERRNO", std::nullopt, {{0, 1, 0, "SCMP_CMP_XX"}}));
  EXPECT_FALSE(compile_seccomp(sc).ok());
}

TEST(CompileSeccomp, ArgumentIndexOutOfRangeIsAnError) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"dup"}, "SCMP_ACT_ERRNO", std::nullopt, {{6, 1, 0, "SCMP_CMP_EQ"}}));
  EXPECT_FALSE(compile_seccomp(sc).ok());
}

TEST(CompileSeccomp, BadArchitectureIsAnError) {
  auto sc = allow_by_default();
  sc.architectures = {"SCMP_ARCH_PDP11"};
  auto result = compile_seccomp(sc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().step, "seccomp");
  EXPECT_NE(result.error().message.find("SCMP_ARCH_PDP11"), std::string::npos);
}

TEST(CompileSeccomp, NativeAndCompatArchitecturesAreAccepted) {
  auto sc = allow_by_default();
#if defined(__x86_64__)
  sc.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
#elif defined(__aarch64__)
  sc.architectures = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"};
#endif
  sc.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_ERRNO"));
  EXPECT_FALSE(compile_ok(sc).filter.empty());
}

TEST(CompileSeccomp, UnknownSyscallIsSkipped) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"no_such_syscall_xyz", "getppid"}, "SCMP_ACT_ERRNO"));
  EXPECT_FALSE(compile_ok(sc).filter.empty());
}

TEST(CompileSeccomp, RuleEqualToDefaultIsSkipped) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_ALLOW"));
  EXPECT_FALSE(compile_ok(sc).filter.empty());
}

TEST(CompileSeccomp, NotifyIsNotSupportedYet) {
  auto sc = allow_by_default();
  sc.listenerPath = "/run/agent.sock";
  sc.syscalls.push_back(rule({"mkdir"}, "SCMP_ACT_NOTIFY"));
  auto result = compile_seccomp(sc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().describe(),
            "seccomp: SCMP_ACT_NOTIFY (listenerPath) is not supported yet");
}

TEST(CompileSeccomp, BadActionIsAnError) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_EXPLODE"));
  EXPECT_FALSE(compile_seccomp(sc).ok());
}

TEST(InstallSeccomp, ErrnoRuleIsEnforced) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"getppid", "uname"}, "SCMP_ACT_ERRNO", kMarkerErrno));
  auto program = compile_ok(sc);
  EXPECT_EQ(run_filtered(program,
                         [] {
                           struct utsname u {};
                           if (expect_marker(syscall(SYS_getppid)) != 0) return 1;
                           if (expect_marker(uname(&u)) != 0) return 2;
                           return getpid() > 0 ? 0 : 3;  // other syscalls still work
                         }),
            0);
}

TEST(InstallSeccomp, DefaultErrnoRetApplies) {
  spec::Seccomp sc;
  sc.defaultAction = "SCMP_ACT_ERRNO";
  sc.defaultErrnoRet = kMarkerErrno;
  // Enough for the child to run and exit, sanitizer runtimes included (they map memory).
  sc.syscalls.push_back(rule(
      {"exit_group", "exit", "getpid", "gettid", "write", "read", "rt_sigreturn", "rt_sigprocmask",
       "rt_sigaction", "sigaltstack", "mmap", "munmap", "mprotect", "madvise", "brk", "futex"},
      "SCMP_ACT_ALLOW"));
  auto program = compile_ok(sc);
  EXPECT_EQ(run_filtered(program, [] { return expect_marker(syscall(SYS_getppid)); }), 0);
}

TEST(InstallSeccomp, KillProcessRuleKills) {
  auto sc = allow_by_default();
  sc.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_KILL_PROCESS"));
  auto program = compile_ok(sc);
  EXPECT_EQ(run_filtered(program, [] { return static_cast<int>(syscall(SYS_getppid) & 0); }),
            -SIGSYS);
}

TEST(InstallSeccomp, ArgumentConditions) {
  auto sc = allow_by_default();
  // Two conditions on one index: runc adds them as separate rules, so either matches.
  sc.syscalls.push_back(rule({"dup"}, "SCMP_ACT_ERRNO", kMarkerErrno,
                             {{0, 11111, 0, "SCMP_CMP_EQ"}, {0, 22222, 0, "SCMP_CMP_EQ"}}));
  // MASKED_EQ: value is the mask, valueTwo the datum.
  sc.syscalls.push_back(rule({"getpgid"}, "SCMP_ACT_ERRNO", kMarkerErrno,
                             {{0, 0xff00, 0x1200, "SCMP_CMP_MASKED_EQ"}}));
  // Conditions on different indexes are ANDed in one rule.
  sc.syscalls.push_back(rule({"dup3"}, "SCMP_ACT_ERRNO", kMarkerErrno,
                             {{0, 33333, 0, "SCMP_CMP_EQ"}, {1, 100, 0, "SCMP_CMP_GT"}}));
  auto program = compile_ok(sc);
  EXPECT_EQ(run_filtered(program,
                         [] {
                           if (expect_marker(syscall(SYS_dup, 11111)) != 0) return 1;
                           if (expect_marker(syscall(SYS_dup, 22222)) != 0) return 2;
                           if (syscall(SYS_dup, 33333) != -1 || errno != EBADF) return 3;
                           if (expect_marker(syscall(SYS_getpgid, 0x1234)) != 0) return 4;
                           if (syscall(SYS_getpgid, 0) < 0) return 5;
                           if (expect_marker(syscall(SYS_dup3, 33333, 200, 0)) != 0) return 6;
                           if (syscall(SYS_dup3, 33333, 50, 0) != -1 || errno != EBADF) return 7;
                           return 0;
                         }),
            0);
}

TEST(InstallSeccomp, LargeProfileUsesBinaryTreeAndStillWorks) {
  auto sc = allow_by_default();
  // More than 32 names switches on libseccomp's binary-tree layout, as runc does.
  for (const char* name : {"acct",
                           "add_key",
                           "bpf",
                           "clock_adjtime",
                           "create_module",
                           "delete_module",
                           "finit_module",
                           "get_kernel_syms",
                           "get_mempolicy",
                           "init_module",
                           "ioperm",
                           "iopl",
                           "kcmp",
                           "kexec_file_load",
                           "kexec_load",
                           "keyctl",
                           "lookup_dcookie",
                           "mbind",
                           "mount",
                           "move_pages",
                           "nfsservctl",
                           "open_by_handle_at",
                           "perf_event_open",
                           "personality",
                           "pivot_root",
                           "process_vm_readv",
                           "process_vm_writev",
                           "ptrace",
                           "query_module",
                           "quotactl",
                           "reboot",
                           "request_key",
                           "set_mempolicy",
                           "setns",
                           "settimeofday",
                           "swapoff",
                           "swapon",
                           "sysfs",
                           "umount2",
                           "unshare",
                           "uselib",
                           "userfaultfd",
                           "ustat",
                           "getppid"})
    sc.syscalls.push_back(rule({name}, "SCMP_ACT_ERRNO", kMarkerErrno));
  auto program = compile_ok(sc);
  EXPECT_EQ(run_filtered(program,
                         [] {
                           if (expect_marker(syscall(SYS_getppid)) != 0) return 1;
                           if (expect_marker(syscall(SYS_unshare, 0)) != 0) return 2;
                           return getpid() > 0 ? 0 : 3;
                         }),
            0);
}

TEST(InstallSeccomp, EmptyProgramIsAnError) {
  auto status = install_seccomp(SeccompProgram{});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().step, "seccomp");
}

}  // namespace
}  // namespace minirun::runtime
