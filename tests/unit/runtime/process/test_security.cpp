#include <gtest/gtest.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "runtime/process/security.hpp"

namespace minirun::runtime {
namespace {

// Everything here changes the calling process for good, so it runs in a forked child whose
// exit code is the body's result (0 = pass, anything else names the failed check).
int in_child(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// "CapEff" -> "0000000000000001" from /proc/self/status.
std::string status_field(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) {
      auto value = line.substr(key.size() + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  return "";
}

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define REQUIRE_ROOT() \
  if (geteuid() != 0) GTEST_SKIP() << "needs root"

TEST(Rlimits, LowerNofileThenReadBack) {
  EXPECT_EQ(in_child([] {
              if (!apply_rlimits({{"RLIMIT_NOFILE", 128, 64}})) return 1;
              struct rlimit rl {};
              getrlimit(RLIMIT_NOFILE, &rl);
              return rl.rlim_cur == 64 && rl.rlim_max == 128 ? 0 : 2;
            }),
            0);
}

TEST(Rlimits, UnknownTypeIsAnError) {
  auto status = apply_rlimits({{"RLIMIT_BOGUS", 1, 1}});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().step, "rlimits");
}

TEST(Rlimits, RaisingHardLimitWithoutPrivilegeNamesTheLimitAndTheCapability) {
  EXPECT_EQ(in_child([] {
              // As root, become an unprivileged user first so raising the hard limit fails.
              if (geteuid() == 0) {
                spec::Process p;
                p.user.uid = p.user.gid = 65534;
                if (!drop_privileges(p)) return 1;
              }
              struct rlimit rl {};
              getrlimit(RLIMIT_NOFILE, &rl);
              uint64_t want = rl.rlim_max + 1;
              auto status = apply_rlimits({{"RLIMIT_NOFILE", want, want}});
              if (status.ok()) return 2;
              std::string n = std::to_string(want);
              std::string expected =
                  "rlimits: process.rlimits RLIMIT_NOFILE: hard limit " + n +
                  " is above the current " + std::to_string(rl.rlim_max) +
                  ", and raising one takes CAP_SYS_RESOURCE on the host: setrlimit RLIMIT_NOFILE "
                  "(soft " +
                  n + ", hard " + n + "): Operation not permitted";
              return status.error().describe() == expected ? 0 : 3;
            }),
            0);
}

TEST(NoNewPrivs, IsSet) {
  EXPECT_EQ(in_child([] {
              if (!set_no_new_privs()) return 1;
              return status_field("NoNewPrivs") == "1" ? 0 : 2;
            }),
            0);
}

TEST(OomScoreAdj, RaisedValueReadsBack) {
  EXPECT_EQ(in_child([] {
              if (!set_oom_score_adj(getpid(), 500)) return 1;
              return read_file("/proc/self/oom_score_adj") == "500\n" ? 0 : 2;
            }),
            0);
}

TEST(ProcessAttributes, UmaskDefaultsTo0022) {
  EXPECT_EQ(in_child([] {
              umask(0077);
              if (!apply_process_attributes(spec::Process{}, std::nullopt)) return 1;
              return umask(0) == 0022 ? 0 : 2;
            }),
            0);
}

TEST(ProcessAttributes, ExplicitUmask) {
  EXPECT_EQ(in_child([] {
              spec::Process p;
              p.user.umask = 0027;
              if (!apply_process_attributes(p, std::nullopt)) return 1;
              return umask(0) == 0027 ? 0 : 2;
            }),
            0);
}

TEST(ProcessAttributes, IoPrioritySchedulerPersonality) {
  EXPECT_EQ(in_child([] {
              spec::Process p;
              p.ioPriority = spec::IoPriority{"IOPRIO_CLASS_BE", 6};
              p.scheduler = spec::Scheduler{};
              p.scheduler->policy = "SCHED_BATCH";
              p.scheduler->nice = 5;
              if (!apply_process_attributes(p, spec::Personality{"LINUX32", {}})) return 1;
              long prio = syscall(SYS_ioprio_get, 1, 0);
              if (prio != ((2 << 13) | 6)) return 2;
              if (sched_getscheduler(0) != SCHED_BATCH) return 3;
              if ((personality(0xffffffff) & PER_MASK) != PER_LINUX32) return 4;
              return 0;
            }),
            0);
}

TEST(ProcessAttributes, UnknownNamesAreErrors) {
  spec::Process p;
  p.ioPriority = spec::IoPriority{"IOPRIO_CLASS_FAST", 0};
  auto status = apply_process_attributes(p, std::nullopt);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().step, "ioprio");

  spec::Process q;
  q.scheduler = spec::Scheduler{};
  q.scheduler->policy = "SCHED_FASTEST";
  EXPECT_FALSE(apply_process_attributes(q, std::nullopt).ok());

  auto bad_domain = apply_process_attributes(spec::Process{}, spec::Personality{"BSD", {}});
  ASSERT_FALSE(bad_domain.ok());
  EXPECT_EQ(bad_domain.error().step, "personality");
}

spec::Capabilities only(const std::string& cap) {
  return {{cap}, {cap}, {cap}, {cap}, {cap}};
}

TEST(DropPrivileges, KeepsOnlyListedCapsAndSwitchesUser) {
  REQUIRE_ROOT();
  EXPECT_EQ(in_child([] {
              spec::Process p;
              p.user.uid = 1000;
              p.user.gid = 1000;
              p.user.additionalGids = {1001, 1002};
              p.capabilities = only("CAP_CHOWN");
              if (!drop_privileges(p)) return 1;
              const std::string chown_only = "0000000000000001";
              if (status_field("CapBnd") != chown_only) return 2;
              if (status_field("CapEff") != chown_only) return 3;
              if (status_field("CapPrm") != chown_only) return 4;
              if (status_field("CapInh") != chown_only) return 5;
              if (status_field("CapAmb") != chown_only) return 6;
              if (status_field("Uid") != "1000\t1000\t1000\t1000") return 7;
              if (status_field("Gid") != "1000\t1000\t1000\t1000") return 8;
              if (status_field("Groups").rfind("1001 1002", 0) != 0) return 9;
              return 0;
            }),
            0);
}

TEST(DropPrivileges, NoCapabilitiesObjectMeansNoCapabilities) {
  REQUIRE_ROOT();
  EXPECT_EQ(in_child([] {
              if (!drop_privileges(spec::Process{})) return 1;
              for (const char* set : {"CapBnd", "CapEff", "CapPrm", "CapInh", "CapAmb"})
                if (status_field(set) != "0000000000000000") return 2;
              if (status_field("Uid") != "0\t0\t0\t0") return 3;
              return status_field("Groups").empty() ? 0 : 4;
            }),
            0);
}

TEST(DropPrivileges, UnknownNamesAndUnraisableAmbientAreIgnored) {
  REQUIRE_ROOT();
  EXPECT_EQ(in_child([] {
              spec::Process p;
              p.capabilities = spec::Capabilities{};
              p.capabilities->bounding = {"CAP_KILL", "CAP_UNKNOWN"};
              p.capabilities->permitted = {"CAP_KILL"};
              p.capabilities->effective = {"CAP_KILL"};
              p.capabilities->ambient = {"CAP_KILL"};  // not inheritable: cannot be raised
              if (!drop_privileges(p)) return 1;
              if (status_field("CapBnd") != "0000000000000020") return 2;
              if (status_field("CapEff") != "0000000000000020") return 3;
              return status_field("CapAmb") == "0000000000000000" ? 0 : 4;
            }),
            0);
}

TEST(DropPrivileges, EffectiveOutsidePermittedIsAnError) {
  REQUIRE_ROOT();
  EXPECT_EQ(in_child([] {
              spec::Process p;
              p.user.uid = 1000;
              p.capabilities = spec::Capabilities{};
              p.capabilities->bounding = {"CAP_CHOWN", "CAP_KILL"};
              p.capabilities->permitted = {"CAP_CHOWN"};
              p.capabilities->effective = {"CAP_KILL"};
              auto status = drop_privileges(p);
              return !status.ok() && status.error().step == "capabilities" ? 0 : 1;
            }),
            0);
}

}  // namespace
}  // namespace minirun::runtime
