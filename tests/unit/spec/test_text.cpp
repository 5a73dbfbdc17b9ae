#include <gtest/gtest.h>

#include "spec/text.hpp"

using minirun::spec::lines;
using minirun::spec::split;
using minirun::spec::to_u64;
using minirun::spec::words;
using V = std::vector<std::string_view>;

TEST(Text, SplitSkipsEmptyPieces) {
  EXPECT_EQ(split("cpu,,cpuacct,", ','), (V{"cpu", "cpuacct"}));
  EXPECT_EQ(split("", ','), V{});
  EXPECT_EQ(split("name=systemd", ','), V{"name=systemd"});
}

TEST(Text, LinesDropTheTrailingNewlineAndBlankLines) {
  EXPECT_EQ(lines("0::/a\n\n4:cpu:/b\n"), (V{"0::/a", "4:cpu:/b"}));
  EXPECT_EQ(lines("no newline"), V{"no newline"});
}

TEST(Text, WordsSplitOnAnyWhitespace) {
  EXPECT_EQ(words("  cpu io\tmemory\npids \n"), (V{"cpu", "io", "memory", "pids"}));
  EXPECT_EQ(words(" \n\t"), V{});
  // The uid_map layout: three right-aligned columns.
  EXPECT_EQ(words("         0          0 4294967295\n"), (V{"0", "0", "4294967295"}));
}

TEST(Text, ToU64TakesOnlyWholeDecimalNumbers) {
  EXPECT_EQ(to_u64("4294967295"), 4294967295u);
  EXPECT_EQ(to_u64("0"), 0u);
  EXPECT_EQ(to_u64("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(to_u64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(to_u64(""), std::nullopt);
  EXPECT_EQ(to_u64("-1"), std::nullopt);
  EXPECT_EQ(to_u64("12ab"), std::nullopt);
  EXPECT_EQ(to_u64("max"), std::nullopt);
}
