#include <gtest/gtest.h>
#include <sys/resource.h>

#include <set>

#include "spec/tables.hpp"

namespace minirun::spec {
namespace {

TEST(Capabilities, KnownNumbers) {
  EXPECT_EQ(capability_number("CAP_CHOWN"), 0);
  EXPECT_EQ(capability_number("CAP_KILL"), 5);
  EXPECT_EQ(capability_number("CAP_NET_BIND_SERVICE"), 10);
  EXPECT_EQ(capability_number("CAP_NET_ADMIN"), 12);
  EXPECT_EQ(capability_number("CAP_SYS_ADMIN"), 21);
  EXPECT_EQ(capability_number("CAP_AUDIT_WRITE"), 29);
  EXPECT_EQ(capability_number("CAP_PERFMON"), 38);
  EXPECT_EQ(capability_number("CAP_BPF"), 39);
  EXPECT_EQ(capability_number("CAP_CHECKPOINT_RESTORE"), 40);
}

TEST(Capabilities, UnknownNames) {
  EXPECT_FALSE(capability_number("CAP_FOO"));
  EXPECT_FALSE(capability_number("cap_kill"));
  EXPECT_FALSE(capability_number("KILL"));
  EXPECT_FALSE(capability_number(""));
}

TEST(Capabilities, AllFortyOneInKernelOrder) {
  const auto& names = capability_names();
  ASSERT_EQ(names.size(), 41u);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(capability_number(names[i]), static_cast<int>(i)) << names[i];
    EXPECT_EQ(capability_name(static_cast<int>(i)), names[i]);
    EXPECT_EQ(names[i].substr(0, 4), "CAP_");
  }
  EXPECT_FALSE(capability_name(41));
  EXPECT_FALSE(capability_name(-1));
}

TEST(Rlimits, AllSixteen) {
  const auto& names = rlimit_names();
  ASSERT_EQ(names.size(), 16u);
  std::set<int> numbers;
  for (auto name : names) {
    auto n = rlimit_number(name);
    ASSERT_TRUE(n) << name;
    numbers.insert(*n);
    EXPECT_EQ(rlimit_name(*n), name);
  }
  EXPECT_EQ(numbers.size(), 16u);
  EXPECT_EQ(*numbers.begin(), 0);
  EXPECT_EQ(*numbers.rbegin(), RLIM_NLIMITS - 1);
}

TEST(Rlimits, KnownNumbers) {
  EXPECT_EQ(rlimit_number("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_EQ(rlimit_number("RLIMIT_CORE"), RLIMIT_CORE);
  EXPECT_EQ(rlimit_number("RLIMIT_RTTIME"), RLIMIT_RTTIME);
  EXPECT_EQ(rlimit_number("RLIMIT_NPROC"), RLIMIT_NPROC);
  EXPECT_FALSE(rlimit_number("RLIMIT_FOO"));
  EXPECT_FALSE(rlimit_number("NOFILE"));
  EXPECT_FALSE(rlimit_name(99));
}

}  // namespace
}  // namespace minirun::spec
