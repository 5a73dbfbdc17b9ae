// Reading JSON documents (config.json, a process file, state.json) into a small tree for
// spec/'s typed readers. Reading is on the path of every start: load_config of runc's default
// config takes 149k instructions with this reader, 387k with nlohmann's DOM (which lexes a
// character at a time and builds std::map nodes); a cold start reads it in 60 us, not 118.
// Output stays with nlohmann (state.json, `spec`, `features`, events).
//
// RFC 8259 strictly: no comments, no trailing commas, strings in valid UTF-8, nothing but
// white space after the document. Of duplicate keys in an object the last one counts, as it
// did with nlohmann (Go's encoding/json merges a repeated object into the same struct). A
// number out of double's range is no error unless a reader wants it, as in Go (nlohmann
// refused it). Checked against nlohmann by a differential fuzz run (tests/fuzz/).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace minirun::spec::json {

struct Member;

class Value {
 public:
  // A number with a fraction or an exponent, or an integer out of the 64-bit ranges. Its
  // value is not kept: every field minirun reads is an integer, and for those it is an error.
  struct OtherNumber {};

  // Defined below, once Member is complete (a variant's constructors need its destructor).
  Value();  // null
  explicit Value(bool b);
  explicit Value(uint64_t n);
  explicit Value(int64_t n);  // a negative integer (or -0)
  explicit Value(OtherNumber n);
  explicit Value(std::string s);
  explicit Value(std::vector<Value> elements);
  explicit Value(std::vector<Member> members);

  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool is_boolean() const { return std::holds_alternative<bool>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }
  bool is_array() const { return std::holds_alternative<std::vector<Value>>(data_); }
  bool is_object() const { return std::holds_alternative<std::vector<Member>>(data_); }
  // A non-negative integer (up to 2^64-1).
  bool is_number_unsigned() const { return std::holds_alternative<uint64_t>(data_); }
  // Any integer in the 64-bit ranges, signed or not.
  bool is_number_integer() const {
    return is_number_unsigned() || std::holds_alternative<int64_t>(data_);
  }

  // Each of these expects the matching is_...() to hold.
  bool boolean() const { return std::get<bool>(data_); }
  const std::string& string() const { return std::get<std::string>(data_); }
  uint64_t unsigned_integer() const { return std::get<uint64_t>(data_); }
  int64_t negative_integer() const { return std::get<int64_t>(data_); }
  const std::vector<Value>& elements() const { return std::get<std::vector<Value>>(data_); }
  const std::vector<Member>& members() const { return std::get<std::vector<Member>>(data_); }

  // The value of the last member named `key`; nullptr when there is none or this is not an
  // object.
  const Value* find(std::string_view key) const;

 private:
  std::variant<std::monostate, bool, uint64_t, int64_t, OtherNumber, std::string,
               std::vector<Value>, std::vector<Member>>
      data_;
};

struct Member {
  std::string key;
  Value value;
};

inline Value::Value() = default;
inline Value::Value(bool b) : data_(b) {}
inline Value::Value(uint64_t n) : data_(n) {}
inline Value::Value(int64_t n) : data_(n) {}
inline Value::Value(OtherNumber n) : data_(n) {}
inline Value::Value(std::string s) : data_(std::move(s)) {}
inline Value::Value(std::vector<Value> elements) : data_(std::move(elements)) {}
inline Value::Value(std::vector<Member> members) : data_(std::move(members)) {}

// what(): "<reason> at byte N", N counting from 1; the end of the input is byte size+1.
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& reason, size_t byte);
  size_t byte() const { return byte_; }

 private:
  size_t byte_;
};

// Throws ParseError. Arrays and objects nest at most kMaxDepth deep.
inline constexpr int kMaxDepth = 512;
Value parse(std::string_view text);

}  // namespace minirun::spec::json
