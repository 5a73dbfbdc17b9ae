#include <gtest/gtest.h>

#include "spec/passwd.hpp"

using minirun::spec::find_passwd_uid;
using minirun::spec::for_each_passwd_entry;
using minirun::spec::parse_passwd_line;
using minirun::spec::PasswdEntry;

TEST(Passwd, ParsesTheFieldsOfALine) {
  auto e = parse_passwd_line("alice:x:1000:100:Alice A,,,:/home/alice:/bin/sh");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "alice");
  EXPECT_EQ(e->uid, 1000u);
  EXPECT_EQ(e->gid, 100u);
  EXPECT_EQ(e->home, "/home/alice");
}

TEST(Passwd, SurroundingWhitespaceIsIgnoredAsRuncDoes) {
  auto e = parse_passwd_line("  root:x:0:0:root:/root:/bin/sh\r");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "root");
  EXPECT_EQ(e->home, "/root");
}

TEST(Passwd, ShortLinesHaveNoHome) {
  auto e = parse_passwd_line("daemon:x:1");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->uid, 1u);
  EXPECT_EQ(e->gid, 0u);
  EXPECT_EQ(e->home, "");
  auto no_shell = parse_passwd_line("bin:x:2:2:bin:/bin");
  ASSERT_TRUE(no_shell);
  EXPECT_EQ(no_shell->home, "/bin");
}

TEST(Passwd, LinesWithoutANumericUidAreNotEntries) {
  EXPECT_FALSE(parse_passwd_line(""));
  EXPECT_FALSE(parse_passwd_line("   "));
  EXPECT_FALSE(parse_passwd_line("# root:x:0:0:root:/root:/bin/sh"));
  EXPECT_FALSE(parse_passwd_line("garbage"));
  EXPECT_FALSE(parse_passwd_line("x:x::0:x:/x:/x"));
  EXPECT_FALSE(parse_passwd_line("x:x:-1:0:x:/x:/x"));
  EXPECT_FALSE(parse_passwd_line("x:x:4294967296:0:x:/x:/x"));  // beyond uint32
  EXPECT_FALSE(parse_passwd_line("x:x:12a:0:x:/x:/x"));
  // A comment before root's line must not give uid 0 an empty home (runc reads it as uid 0).
  auto root = find_passwd_uid("#comment\nroot:x:0:0:root:/root:/bin/sh\n", 0);
  ASSERT_TRUE(root);
  EXPECT_EQ(root->home, "/root");
}

TEST(Passwd, TheFirstEntryWithTheUidWins) {
  const char* text =
      "root:x:0:0:root:/root:/bin/sh\n"
      "alice:x:1000:1000::/home/alice:/bin/sh\n"
      "alias:x:1000:1000::/home/alias:/bin/sh\n";
  auto alice = find_passwd_uid(text, 1000);
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->home, "/home/alice");
  EXPECT_FALSE(find_passwd_uid(text, 1234));
  EXPECT_FALSE(find_passwd_uid("", 0));
}

TEST(Passwd, ALastLineCutShortIsNotReadUnlessTheTextIsWhole) {
  const char* text = "root:x:0:0:root:/root:/bin/sh\nbob:x:7:7::/home/bo";
  EXPECT_FALSE(find_passwd_uid(text, 7, /*text_is_whole=*/false));
  ASSERT_TRUE(find_passwd_uid(text, 7, /*text_is_whole=*/true));
  EXPECT_EQ(find_passwd_uid(text, 0, /*text_is_whole=*/false)->home, "/root");
  EXPECT_FALSE(find_passwd_uid("root:x:0:0:root:/root:/bin/sh", 0, /*text_is_whole=*/false));
}

TEST(Passwd, ForEachStopsWhenTheVisitorSaysSo) {
  int seen = 0;
  for_each_passwd_entry("a:x:1\nb:x:2\nc:x:3\n", [&](const PasswdEntry& e) {
    ++seen;
    return e.uid < 2;
  });
  EXPECT_EQ(seen, 2);
}
