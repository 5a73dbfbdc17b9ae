#include "spec/json_reader.hpp"

namespace minirun::spec::json {

const Value* Value::find(std::string_view key) const {
  const auto* members = std::get_if<std::vector<Member>>(&data_);
  if (members == nullptr) return nullptr;
  for (auto it = members->rbegin(); it != members->rend(); ++it)
    if (it->key == key) return &it->value;
  return nullptr;
}

ParseError::ParseError(const std::string& reason, size_t byte)
    : std::runtime_error(reason + " at byte " + std::to_string(byte)), byte_(byte) {}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Value document() {
    Value v = value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected " + describe_here() + " after the document");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const { throw ParseError(reason, pos_ + 1); }

  std::string describe_here() const {
    if (pos_ >= text_.size()) return "end of input";
    auto c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static const char* const kHex = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }

  [[noreturn]] void unexpected(const char* expected) const {
    fail("unexpected " + describe_here() + ", expected " + expected);
  }

  void skip_space() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  Value value(int depth) {
    skip_space();
    if (pos_ >= text_.size()) unexpected("a value");
    switch (text_[pos_]) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return Value(string());
      case 't':
        literal("true");
        return Value(true);
      case 'f':
        literal("false");
        return Value(false);
      case 'n':
        literal("null");
        return Value();
      default:
        return number();
    }
  }

  void literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) unexpected("a value");
    pos_ += word.size();
  }

  // Opening an object or array: true when it is empty (its closing character comes next).
  bool opens_empty(char close) {
    ++pos_;  // '{' or '['
    skip_space();
    if (!at(close)) return false;
    ++pos_;
    return true;
  }

  // After a member or element: true at the closing character, false after a comma.
  bool closes(char close, const char* expected) {
    skip_space();
    if (at(',')) {
      ++pos_;
      return false;
    }
    if (!at(close)) unexpected(expected);
    ++pos_;
    return true;
  }

  Value object(int depth) {
    if (depth > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth));
    std::vector<Member> members;
    members.reserve(8);  // fewer moves on growth: config objects are small
    if (opens_empty('}')) return Value(std::move(members));
    do {
      skip_space();
      if (!at('"')) unexpected("a string key");
      std::string key = string();
      skip_space();
      if (!at(':')) unexpected("':'");
      ++pos_;
      members.push_back({std::move(key), value(depth)});
    } while (!closes('}', "',' or '}'"));
    return Value(std::move(members));
  }

  Value array(int depth) {
    if (depth > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth));
    std::vector<Value> elements;
    if (opens_empty(']')) return Value(std::move(elements));
    do {
      elements.push_back(value(depth));
    } while (!closes(']', "',' or ']'"));
    return Value(std::move(elements));
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  Value number() {
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    bool negative = at('-');
    if (negative) ++pos_;
    if (!(pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')) {
      if (!negative) unexpected("a value");
      unexpected("a digit");
    }
    const size_t int_start = pos_;
    size_t int_digits = digits();
    if (int_digits > 1 && text_[int_start] == '0') {
      pos_ = int_start + 1;
      fail("leading zero in a number");
    }
    bool integral = true;
    if (at('.')) {
      ++pos_;
      if (digits() == 0) unexpected("a digit");
      integral = false;
    }
    if (at('e') || at('E')) {
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (digits() == 0) unexpected("a digit");
      integral = false;
    }
    if (integral) {
      uint64_t magnitude = 0;
      bool fits = true;
      for (size_t i = int_start; i < int_start + int_digits && fits; ++i) {
        auto digit = static_cast<uint64_t>(text_[i] - '0');
        fits = magnitude <= (UINT64_MAX - digit) / 10;
        magnitude = magnitude * 10 + digit;
      }
      if (fits && !negative) return Value(magnitude);
      if (fits && magnitude <= uint64_t{1} << 63) {
        // -0 too: a negative sign is never an unsigned value (nor is it in Go).
        return Value(static_cast<int64_t>(0 - magnitude));
      }
    }
    return Value(Value::OtherNumber{});
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  uint32_t hex4() {
    if (pos_ + 4 > text_.size()) {
      pos_ = text_.size();
      unexpected("four hex digits");
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      char c = text_[pos_];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) unexpected("a hex digit");
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return v;
  }

  void escape(std::string& out) {
    ++pos_;  // '\'
    if (pos_ >= text_.size()) unexpected("an escape");
    char c = text_[pos_];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out += c;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        ++pos_;
        uint32_t cp = hex4();
        if (cp >= 0xdc00 && cp <= 0xdfff) fail("lone low surrogate in a \\u escape");
        if (cp >= 0xd800 && cp <= 0xdbff) {
          if (text_.substr(pos_, 2) != "\\u") fail("high surrogate without its low half");
          pos_ += 2;
          uint32_t low = hex4();
          if (low < 0xdc00 || low > 0xdfff) fail("high surrogate without its low half");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        append_utf8(out, cp);
        return;
      }
      default:
        unexpected("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
    }
    ++pos_;
  }

  // One UTF-8 sequence starting at a byte >= 0x80, validated (no overlong forms, no
  // surrogates, nothing above U+10FFFF) and copied.
  void utf8_sequence(std::string& out) {
    auto byte = [&](size_t i) {
      return i < text_.size() ? static_cast<unsigned char>(text_[i]) : 0u;
    };
    unsigned char lead = byte(pos_);
    size_t length = 0;
    unsigned lo = 0x80, hi = 0xbf;  // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) lo = 0xa0;
      if (lead == 0xed) hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) lo = 0x90;
      if (lead == 0xf4) hi = 0x8f;
    } else {
      fail("invalid UTF-8 in a string");
    }
    for (size_t i = 1; i < length; ++i) {
      unsigned b = byte(pos_ + i);
      unsigned min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xbf;
      if (b < min || b > max) {
        pos_ += i;
        fail("invalid UTF-8 in a string");
      }
    }
    out.append(text_.substr(pos_, length));
    pos_ += length;
  }

  std::string string() {
    ++pos_;  // '"'
    std::string out;
    for (;;) {
      // The common run of plain characters, copied in one go.
      size_t run = pos_;
      while (run < text_.size()) {
        auto c = static_cast<unsigned char>(text_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      if (run < text_.size() && text_[run] == '"' && out.empty()) {  // no escapes: most strings
        out.assign(text_.data() + pos_, run - pos_);
        pos_ = run + 1;
        return out;
      }
      out.append(text_.substr(pos_, run - pos_));
      pos_ = run;
      if (pos_ >= text_.size()) unexpected("'\"' to close the string");
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        escape(out);
      } else if (c < 0x20) {
        fail("control character in a string (escape it)");
      } else {
        utf8_sequence(out);
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Value parse(std::string_view text) {
  return Parser(text).document();
}

}  // namespace minirun::spec::json
