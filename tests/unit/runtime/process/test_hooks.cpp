// runtime/hooks: running one list of hooks (no root needed: plain fork + exec of /bin/sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "runtime/process/hooks.hpp"

namespace minirun::runtime {
namespace {

spec::Hook sh_hook(const std::string& script) {
  spec::Hook h;
  h.path = "/bin/sh";
  h.args = {"sh", "-c", script};
  return h;
}

std::string temp_path(const char* name) {
  return std::string("/tmp/minirun-hooks-unit-") + std::to_string(getpid()) + "-" + name;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Hooks, StateArrivesOnStdinAndArgsAndEnvAreTheHooks) {
  std::string out = temp_path("stdin");
  spec::Hook h = sh_hook("cat > " + out + "; echo \"$0|$1|$FOO\" >> " + out);
  h.args.push_back("zero");
  h.args.push_back("one");
  h.env = {"FOO=bar"};
  ASSERT_TRUE(run_hooks({h}, HookKind::prestart, "{\"id\":\"x\"}"));
  EXPECT_EQ(slurp(out), "{\"id\":\"x\"}zero|one|bar\n");
  std::remove(out.c_str());
}

TEST(Hooks, FailureNamesKindIndexExitStatusAndOutput) {
  auto status = run_hooks({sh_hook("true"), sh_hook("echo o; echo e >&2; exit 3")},
                          HookKind::createRuntime, "{}");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().describe(),
            R"(error running createRuntime hook #1: exit status 3, stdout: "o\n", stderr: "e\n")");
}

TEST(Hooks, StopsAtTheFirstFailure) {
  std::string marker = temp_path("marker");
  auto status =
      run_hooks({sh_hook("exit 1"), sh_hook("touch " + marker)}, HookKind::prestart, "{}");
  EXPECT_FALSE(status);
  EXPECT_NE(access(marker.c_str(), F_OK), 0);
}

TEST(Hooks, TimeoutKillsTheHook) {
  spec::Hook h = sh_hook("sleep 30");
  h.timeout = 1;
  auto begin = std::chrono::steady_clock::now();
  auto status = run_hooks({h}, HookKind::poststop, "{}");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().describe(),
            "error running poststop hook #0: hook ran past specified timeout of 1.0s");
}

TEST(Hooks, MissingBinaryIsAFailureWithTheReason) {
  spec::Hook h;
  h.path = "/nonexistent/hook";
  auto status = run_hooks({h}, HookKind::createContainer, "{}");
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().describe().find("exit status 127"), std::string::npos);
  EXPECT_NE(status.error().describe().find("No such file or directory"), std::string::npos);
}

TEST(Hooks, AHookThatIgnoresStdinDoesNotHurt) {
  std::string big(1 << 20, 'x');  // more than a pipe holds
  EXPECT_TRUE(run_hooks({sh_hook("exit 0")}, HookKind::prestart, big));
}

TEST(Hooks, StateStatusFollowsTheHookKind) {
  spec::State s;
  s.id = "c";
  s.status = spec::ContainerStatus::stopped;  // whatever state.json says
  EXPECT_NE(hook_state_json(s, HookKind::createRuntime).find("\"status\":\"creating\""),
            std::string::npos);
  EXPECT_NE(hook_state_json(s, HookKind::startContainer).find("\"status\":\"created\""),
            std::string::npos);
  EXPECT_NE(hook_state_json(s, HookKind::poststart).find("\"status\":\"running\""),
            std::string::npos);
  EXPECT_NE(hook_state_json(s, HookKind::poststop).find("\"status\":\"stopped\""),
            std::string::npos);
  EXPECT_EQ(hook_state_json(s, HookKind::poststop).find('\n'), std::string::npos);
}

TEST(Hooks, HooksOfPicksTheKind) {
  spec::Config config;
  EXPECT_TRUE(hooks_of(config, HookKind::prestart).empty());
  config.hooks.emplace();
  config.hooks->poststop.push_back(sh_hook("true"));
  EXPECT_EQ(hooks_of(config, HookKind::poststop).size(), 1u);
  EXPECT_TRUE(hooks_of(config, HookKind::poststart).empty());
}

}  // namespace
}  // namespace minirun::runtime
