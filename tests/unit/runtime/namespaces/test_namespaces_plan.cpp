// Which namespaces the clone makes and which the parent makes beside init (plan_namespaces).
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/namespaces/namespaces.hpp"

using namespace minirun::runtime;
using minirun::spec::NamespaceType;

namespace {

minirun::spec::Config config_with(std::vector<minirun::spec::Namespace> namespaces) {
  minirun::spec::Config config;
  config.linux.emplace();
  config.linux->namespaces = std::move(namespaces);
  return config;
}

}  // namespace

TEST(NamespacePlan, NewNetworkNamespaceIsMadeByTheParentNotTheClone) {
  auto plan = plan_namespaces(config_with(
      {{NamespaceType::pid, ""}, {NamespaceType::network, ""}, {NamespaceType::mount, ""}}));
  ASSERT_TRUE(plan) << plan.error().describe();
  EXPECT_TRUE(plan->new_net);
  EXPECT_TRUE(plan->net_by_parent());
  EXPECT_EQ(plan->clone_flags & CLONE_NEWNET, 0u);
  EXPECT_NE(plan->clone_flags & CLONE_NEWNS, 0u);
  EXPECT_NE(plan->clone_flags & CLONE_NEWPID, 0u);
}

// Root in a user namespace that still uses the host's network (rootless podman with --network
// none) could not setns back into its own network namespace after making one: the clone
// makes it instead. On the host the runtime owns its network namespace.
TEST(NamespacePlan, FromAUserNamespaceWithTheHostsNetworkTheCloneMakesTheNetworkNamespace) {
  EXPECT_TRUE(runtime_owns_its_network_namespace());
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (unshare(CLONE_NEWUSER) < 0) _exit(77);
    if (runtime_owns_its_network_namespace()) _exit(1);
    auto plan = plan_namespaces(config_with({{NamespaceType::network, ""}}));
    if (!plan || !plan->new_net || plan->net_by_parent()) _exit(2);
    if ((plan->clone_flags & CLONE_NEWNET) == 0) _exit(3);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "unshare(CLONE_NEWUSER) refused here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: owns the host's netns, 2: made by parent, 3: no flag";
}

TEST(NamespacePlan, WithANewUserNamespaceTheCloneMakesTheNetworkNamespace) {
  auto plan =
      plan_namespaces(config_with({{NamespaceType::user, ""}, {NamespaceType::network, ""}}));
  ASSERT_TRUE(plan) << plan.error().describe();
  EXPECT_FALSE(plan->net_by_parent());
  EXPECT_NE(plan->clone_flags & CLONE_NEWNET, 0u);
}

// Init joins the user namespace first; from inside it, it could not enter a network namespace
// owned by the host's.
TEST(NamespacePlan, WithAJoinedUserNamespaceTheCloneMakesTheNetworkNamespace) {
  auto plan = plan_namespaces(
      config_with({{NamespaceType::user, "/proc/self/ns/user"}, {NamespaceType::network, ""}}));
  ASSERT_TRUE(plan) << plan.error().describe();
  EXPECT_TRUE(plan->joins_user);
  EXPECT_FALSE(plan->net_by_parent());
  EXPECT_NE(plan->clone_flags & CLONE_NEWNET, 0u);
}

TEST(NamespacePlan, AJoinedNetworkNamespaceIsNeitherClonedNorMade) {
  auto plan = plan_namespaces(config_with({{NamespaceType::network, "/proc/self/ns/net"}}));
  ASSERT_TRUE(plan) << plan.error().describe();
  EXPECT_FALSE(plan->new_net);
  EXPECT_FALSE(plan->net_by_parent());
  EXPECT_EQ(plan->clone_flags & CLONE_NEWNET, 0u);
  ASSERT_EQ(plan->joins.size(), 1u);
}

// Without a mount namespace, new or joined, init's mounts are the caller's (RootEntry).
TEST(NamespacePlan, OnlyAConfigWithNoMountNamespaceIsInTheCallers) {
  auto none = plan_namespaces(config_with({{NamespaceType::pid, ""}}));
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_TRUE(none->in_caller_mount_ns());
  EXPECT_EQ(none->clone_flags & CLONE_NEWNS, 0u);
  auto made = plan_namespaces(config_with({{NamespaceType::mount, ""}}));
  ASSERT_TRUE(made) << made.error().describe();
  EXPECT_FALSE(made->in_caller_mount_ns());
  auto joined = plan_namespaces(config_with({{NamespaceType::mount, "/proc/self/ns/mnt"}}));
  ASSERT_TRUE(joined) << joined.error().describe();
  EXPECT_TRUE(joined->joins_mount);
  EXPECT_FALSE(joined->in_caller_mount_ns());
  EXPECT_TRUE(plan_namespaces(minirun::spec::Config{})->in_caller_mount_ns());
}
