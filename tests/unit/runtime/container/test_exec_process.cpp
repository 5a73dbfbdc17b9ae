// build_exec_process: runc's getProcess rules for `exec`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "runtime/container/exec.hpp"

namespace minirun::runtime {
namespace {

spec::Config container() {
  spec::Config c;
  c.process.emplace();
  c.process->args = {"sleep", "1000"};
  c.process->cwd = "/";
  c.process->env = {"PATH=/bin"};
  c.process->capabilities.emplace();
  c.process->capabilities->bounding = {"CAP_KILL"};
  c.process->rlimits = {{"RLIMIT_NOFILE", 1024, 1024}};
  c.process->terminal = true;
  return c;
}

TEST(ExecProcess, FlagsOverrideTheContainersProcess) {
  ExecOptions o;
  o.args = {"sh", "-c", "id"};
  o.cwd = "/tmp";
  o.env = {"A=1"};
  o.user = "1000:1001";
  o.additional_gids = {5};
  o.caps = {"CAP_NET_ADMIN"};
  o.no_new_privs = true;
  auto p = build_exec_process(o, container());
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->args, (std::vector<std::string>{"sh", "-c", "id"}));
  EXPECT_EQ(p->cwd, "/tmp");
  EXPECT_EQ(p->env, (std::vector<std::string>{"PATH=/bin", "A=1"}));
  EXPECT_EQ(p->user.uid, 1000u);
  EXPECT_EQ(p->user.gid, 1001u);
  EXPECT_EQ(p->user.additionalGids, (std::vector<uint32_t>{5}));
  EXPECT_EQ(p->capabilities->bounding, (std::vector<std::string>{"CAP_KILL", "CAP_NET_ADMIN"}));
  // Never inheritable (runc 1.1, CVE-2022-29162), so not ambient either.
  EXPECT_EQ(p->capabilities->permitted.back(), "CAP_NET_ADMIN");
  EXPECT_EQ(p->capabilities->effective.back(), "CAP_NET_ADMIN");
  EXPECT_TRUE(p->capabilities->inheritable.empty());
  EXPECT_TRUE(p->capabilities->ambient.empty());
  EXPECT_TRUE(p->noNewPrivileges);
  EXPECT_FALSE(p->terminal);  // only -t asks for a tty
  EXPECT_EQ(p->rlimits.size(), 1u);
}

TEST(ExecProcess, AnAddedCapIsAmbientOnlyWhenAlreadyInheritable) {
  ExecOptions o;
  o.args = {"true"};
  o.caps = {"CAP_NET_ADMIN", "CAP_SYS_ADMIN"};
  auto c = container();
  c.process->capabilities->inheritable = {"CAP_NET_ADMIN"};
  auto p = build_exec_process(o, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->capabilities->inheritable, (std::vector<std::string>{"CAP_NET_ADMIN"}));
  EXPECT_EQ(p->capabilities->ambient, (std::vector<std::string>{"CAP_NET_ADMIN"}));
}

TEST(ExecProcess, UserWithoutGroupKeepsTheGid) {
  ExecOptions o;
  o.args = {"true"};
  o.user = "7";
  auto c = container();
  c.process->user.gid = 9;
  auto p = build_exec_process(o, c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user.uid, 7u);
  EXPECT_EQ(p->user.gid, 9u);
}

TEST(ExecProcess, BadUserAndEmptyArgsAreRefused) {
  ExecOptions o;
  o.args = {"true"};
  o.user = "root";
  EXPECT_FALSE(build_exec_process(o, container()));
  ExecOptions empty;
  auto p = build_exec_process(empty, container());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().describe(), "args must not be empty");
}

TEST(ExecProcess, ProcessFileFallsBackToTheContainersCapsAndRlimits) {
  std::string path = "/tmp/minirun-exec-process-" + std::to_string(getpid()) + ".json";
  std::ofstream(path) << R"({"args":["ls"],"cwd":"/tmp","terminal":true})";
  ExecOptions o;
  o.process_file = path;
  auto p = build_exec_process(o, container());
  std::remove(path.c_str());
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->args, (std::vector<std::string>{"ls"}));
  EXPECT_TRUE(p->env.empty());
  EXPECT_TRUE(p->terminal);
  ASSERT_TRUE(p->capabilities);
  EXPECT_EQ(p->capabilities->bounding, (std::vector<std::string>{"CAP_KILL"}));
  EXPECT_EQ(p->rlimits.size(), 1u);
}

TEST(ExecProcess, BrokenProcessFileNamesThePlace) {
  std::string path = "/tmp/minirun-exec-process-bad-" + std::to_string(getpid()) + ".json";
  std::ofstream(path) << R"({"args":[1],"cwd":"/"})";
  ExecOptions o;
  o.process_file = path;
  auto p = build_exec_process(o, container());
  std::remove(path.c_str());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().describe(), "process " + path + ": /args/0: expected a string");
}

TEST(ExecProcess, RelativeCwdIsRefused) {
  ExecOptions o;
  o.args = {"true"};
  o.cwd = "tmp";
  EXPECT_FALSE(build_exec_process(o, container()));
}

}  // namespace
}  // namespace minirun::runtime
