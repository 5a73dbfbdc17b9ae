#include <gtest/gtest.h>

#include "spec/quote.hpp"

using minirun::spec::go_quote;
using minirun::spec::one_line;

TEST(Quote, EscapesQuotesBackslashesAndAsciiControls) {
  EXPECT_EQ(go_quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(go_quote("a\nb\tc\rd"), R"("a\nb\tc\rd")");
  EXPECT_EQ(go_quote("\x1b[31mred\x7f"), R"("\x1b[31mred\x7f")");
  EXPECT_EQ(go_quote(std::string_view("a\0b", 3)), R"("a\x00b")");
}

// As Go's %q: printable UTF-8 stays, C1 controls and line separators become \u, and a byte
// that is not valid UTF-8 becomes \x (a lone 0x9b is CSI to an 8-bit terminal).
TEST(Quote, KeepsPrintableUtf8AndEscapesTheRest) {
  EXPECT_EQ(go_quote("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3\"");
  EXPECT_EQ(go_quote("\xc2\x85\xc2\x9b\xe2\x80\xa8\xe2\x80\xa9"), R"("\u0085\u009b\u2028\u2029")");
  EXPECT_EQ(go_quote("a\x9b"
                     "b\xff"),
            R"("a\x9bb\xff")");
  // Overlong, surrogate, truncated: each byte on its own.
  EXPECT_EQ(go_quote("\xc0\xaf"), R"("\xc0\xaf")");
  EXPECT_EQ(go_quote("\xed\xa0\x80"), R"("\xed\xa0\x80")");
  EXPECT_EQ(go_quote("\xe2\x82"), R"("\xe2\x82")");
}

TEST(Quote, OneLineQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(one_line("container \"a\" does not exist"), "container \"a\" does not exist");
  EXPECT_EQ(one_line("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(one_line("stderr: oops\n"), R"("stderr: oops\n")");
  EXPECT_EQ(one_line("id \"a\x1b[2Jb\""), R"("id \"a\x1b[2Jb\"")");
  EXPECT_EQ(one_line("bad \xff byte"), R"("bad \xff byte")");
  EXPECT_EQ(one_line(""), "");
}
