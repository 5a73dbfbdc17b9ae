// The JSON reader (spec/json_reader.hpp): RFC 8259 documents in, a Value tree out, and one
// line naming the byte for anything else.
#include <gtest/gtest.h>

#include "spec/json_reader.hpp"

using namespace minirun::spec::json;

namespace {

std::string error_of(std::string_view text) {
  try {
    parse(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(parsed)";
}

std::string string_of(std::string_view text) {
  Value v = parse(text);
  EXPECT_TRUE(v.is_string()) << text;
  return v.is_string() ? v.string() : "";
}

}  // namespace

TEST(JsonReader, ScalarsAndWhiteSpace) {
  EXPECT_TRUE(parse(" null ").is_null());
  EXPECT_TRUE(parse("true").boolean());
  EXPECT_FALSE(parse("\t\r\nfalse").boolean());
  EXPECT_EQ(string_of(R"("plain")"), "plain");
}

TEST(JsonReader, IntegersKeepTheirSignAndRange) {
  Value zero = parse("0");
  EXPECT_TRUE(zero.is_number_unsigned());
  EXPECT_EQ(parse("18446744073709551615").unsigned_integer(), UINT64_MAX);
  Value negative = parse("-9223372036854775808");
  EXPECT_FALSE(negative.is_number_unsigned());
  EXPECT_TRUE(negative.is_number_integer());
  EXPECT_EQ(negative.negative_integer(), INT64_MIN);
  // Like Go's encoding/json: "-0" is not an unsigned number.
  EXPECT_FALSE(parse("-0").is_number_unsigned());
  EXPECT_TRUE(parse("-0").is_number_integer());
  for (const char* other :
       {"18446744073709551616", "-9223372036854775809", "1.5", "1e3", "0.0", "-2E-2"}) {
    Value v = parse(other);
    EXPECT_FALSE(v.is_number_integer()) << other;
    EXPECT_FALSE(v.is_null() || v.is_string() || v.is_array() || v.is_object()) << other;
  }
}

TEST(JsonReader, MalformedNumbers) {
  EXPECT_EQ(error_of("01"), "leading zero in a number at byte 2");
  EXPECT_EQ(error_of("-"), "unexpected end of input, expected a digit at byte 2");
  EXPECT_EQ(error_of("1."), "unexpected end of input, expected a digit at byte 3");
  EXPECT_EQ(error_of("1e+"), "unexpected end of input, expected a digit at byte 4");
  EXPECT_EQ(error_of("+1"), "unexpected '+', expected a value at byte 1");
  EXPECT_EQ(error_of(".5"), "unexpected '.', expected a value at byte 1");
}

TEST(JsonReader, StringEscapesAndUnicode) {
  EXPECT_EQ(string_of(R"("a\"b\\c\/d\b\f\n\r\t")"), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(string_of(R"("\u0041\u00e9\u20ac")"), "A\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(string_of(R"("\ud83d\ude00")"), "\xf0\x9f\x98\x80");  // a surrogate pair
  EXPECT_EQ(string_of("\"caf\xc3\xa9 \xf0\x9f\x98\x80\""), "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(string_of(R"("\u0000")"), std::string(1, '\0'));
}

TEST(JsonReader, BadStrings) {
  EXPECT_EQ(error_of("\"abc"),
            "unexpected end of input, expected '\"' to close the string at byte 5");
  EXPECT_EQ(error_of("\"a\nb\""), "control character in a string (escape it) at byte 3");
  EXPECT_EQ(error_of(R"("\x")"),
            R"(unexpected 'x', expected an escape (\" \\ \/ \b \f \n \r \t \u) at byte 3)");
  EXPECT_EQ(error_of(R"("\u12g4")"), "unexpected 'g', expected a hex digit at byte 6");
  EXPECT_EQ(error_of(R"("\ude00")"), "lone low surrogate in a \\u escape at byte 8");
  EXPECT_EQ(error_of(R"("\ud83dx")"), "high surrogate without its low half at byte 8");
  EXPECT_EQ(error_of("\"\xff\""), "invalid UTF-8 in a string at byte 2");
  EXPECT_EQ(error_of("\"\xc3\""), "invalid UTF-8 in a string at byte 3");          // cut short
  EXPECT_EQ(error_of("\"\xc0\xaf\""), "invalid UTF-8 in a string at byte 2");      // overlong
  EXPECT_EQ(error_of("\"\xed\xa0\x80\""), "invalid UTF-8 in a string at byte 3");  // a surrogate
  EXPECT_EQ(error_of("\"\xf4\x90\x80\x80\""), "invalid UTF-8 in a string at byte 3");  // > U+10FFFF
}

TEST(JsonReader, ObjectsKeepOrderAndTheLastDuplicateCounts) {
  Value v = parse(R"({"b": 1, "a": [true, null, "x"], "b": 2, "empty": {}, "none": []})");
  ASSERT_TRUE(v.is_object());
  ASSERT_EQ(v.members().size(), 5u);
  EXPECT_EQ(v.members()[0].key, "b");
  EXPECT_EQ(v.find("b")->unsigned_integer(), 2u);
  const Value* a = v.find("a");
  ASSERT_TRUE(a && a->is_array());
  EXPECT_EQ(a->elements().size(), 3u);
  EXPECT_TRUE(a->elements()[1].is_null());
  EXPECT_EQ(a->elements()[2].string(), "x");
  EXPECT_TRUE(v.find("empty")->members().empty());
  EXPECT_TRUE(v.find("none")->elements().empty());
  EXPECT_EQ(v.find("missing"), nullptr);
  EXPECT_EQ(a->find("b"), nullptr) << "not an object";
}

TEST(JsonReader, StructuralErrorsNameTheByte) {
  EXPECT_EQ(error_of(""), "unexpected end of input, expected a value at byte 1");
  EXPECT_EQ(error_of("{\"a\" 1}"), "unexpected '1', expected ':' at byte 6");
  EXPECT_EQ(error_of("{\"a\": 1,}"), "unexpected '}', expected a string key at byte 9");
  EXPECT_EQ(error_of("{a: 1}"), "unexpected 'a', expected a string key at byte 2");
  EXPECT_EQ(error_of("[1 2]"), "unexpected '2', expected ',' or ']' at byte 4");
  EXPECT_EQ(error_of("[1,]"), "unexpected ']', expected a value at byte 4");
  EXPECT_EQ(error_of("{\"a\": 1"), "unexpected end of input, expected ',' or '}' at byte 8");
  EXPECT_EQ(error_of("{} x"), "unexpected 'x' after the document at byte 4");
  EXPECT_EQ(error_of("{}\x01"), "unexpected byte 0x01 after the document at byte 3");
  EXPECT_EQ(error_of("nul"), "unexpected 'n', expected a value at byte 1");
  EXPECT_EQ(error_of("// comment\n{}"), "unexpected '/', expected a value at byte 1");
}

TEST(JsonReader, NestingIsBounded) {
  std::string deep(kMaxDepth, '[');
  deep += std::string(kMaxDepth, ']');
  EXPECT_TRUE(parse(deep).is_array());
  std::string deeper(kMaxDepth + 1, '[');
  deeper += std::string(kMaxDepth + 1, ']');
  EXPECT_EQ(error_of(deeper), "nested deeper than 512 at byte 513");
}
