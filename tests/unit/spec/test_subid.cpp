#include <gtest/gtest.h>

#include "spec/subid.hpp"

using minirun::spec::parse_subid_line;
using minirun::spec::subid_grants;

TEST(SubId, ParsesALine) {
  auto r = parse_subid_line("alice:100000:65536");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->owner, "alice");
  EXPECT_EQ(r->start, 100000u);
  EXPECT_EQ(r->count, 65536u);
}

TEST(SubId, SkipsWhatShadowUtilsSkips) {
  EXPECT_FALSE(parse_subid_line(""));
  EXPECT_FALSE(parse_subid_line("alice:100000"));
  EXPECT_FALSE(parse_subid_line("alice:100000:65536:x"));
  EXPECT_FALSE(parse_subid_line(":100000:65536"));
  EXPECT_FALSE(parse_subid_line("alice::65536"));
  EXPECT_FALSE(parse_subid_line("alice:1e5:65536"));
  EXPECT_FALSE(parse_subid_line("alice:100000:-1"));
}

constexpr std::string_view kFile =
    "bob:100000:65536\n"
    "alice:165536:65536\n"
    "1001:300000:10\n"
    "alice:231072:100\n";

TEST(SubId, GrantsARangeInsideTheUsersOwn) {
  EXPECT_TRUE(subid_grants(kFile, "alice", 1000, 165536, 65536));
  EXPECT_TRUE(subid_grants(kFile, "alice", 1000, 170000, 1));
  EXPECT_FALSE(subid_grants(kFile, "alice", 1000, 100000, 65536));  // bob's
  EXPECT_FALSE(subid_grants(kFile, "alice", 1000, 165535, 2));      // starts in bob's
  EXPECT_FALSE(subid_grants(kFile, "alice", 1000, 165536, 0));
}

TEST(SubId, ASpanMayCrossAdjacentRangesOfTheSameOwner) {
  EXPECT_TRUE(subid_grants(kFile, "alice", 1000, 200000, 31172));
  EXPECT_FALSE(subid_grants(kFile, "alice", 1000, 200000, 31173));  // one past the second
}

TEST(SubId, TheOwnerMayBeWrittenAsTheUid) {
  EXPECT_TRUE(subid_grants(kFile, "carol", 1001, 300000, 10));
  EXPECT_FALSE(subid_grants(kFile, "carol", 1002, 300000, 10));
}

TEST(SubId, ASpanThatWrapsAroundIsRefused) {
  const std::string_view huge = "alice:18446744073709551600:16\n";
  EXPECT_FALSE(subid_grants(huge, "alice", 1000, 18446744073709551600u, 32));
}
