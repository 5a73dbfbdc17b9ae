// Which namespaces the clone makes and which the parent makes beside init (plan_namespaces).
#include <gtest/gtest.h>
#include <sched.h>

#include "runtime/namespaces.hpp"

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
