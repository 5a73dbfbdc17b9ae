#include "spec/quote.hpp"

#include <cstdio>

namespace minirun::spec {

namespace {

// The code point of the valid UTF-8 sequence at s[i] and its length, or length 0 when the
// byte there starts none (a stray continuation byte, an overlong form, a surrogate, ...).
struct Rune {
  char32_t value = 0;
  size_t length = 0;
};

Rune decode(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (length == 0 || lead > 0xf4 || i + length > s.size()) return {};
  char32_t value = lead & (0x7f >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return {};
    value = (value << 6) | (byte(k) & 0x3f);
  }
  static constexpr char32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kShortest[length] || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
    return {};
  return {value, length};
}

// What Go's %q escapes among the characters our messages can meet: it would print the others.
bool is_control(char32_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

std::string escaped(const char* format, unsigned value) {
  char buf[12];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    Rune rune = decode(s, i);
    if (rune.length == 0) {
      out += escaped("\\x%02x", static_cast<unsigned char>(s[i++]));
      continue;
    }
    switch (rune.value) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (rune.value < 0x20 || rune.value == 0x7f)
          out += escaped("\\x%02x", rune.value);
        else if (is_control(rune.value))
          out += escaped("\\u%04x", rune.value);
        else
          out.append(s.substr(i, rune.length));
    }
    i += rune.length;
  }
  return out + "\"";
}

std::string one_line(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    Rune rune = decode(s, i);
    if (rune.length == 0 || is_control(rune.value)) return go_quote(s);
    i += rune.length;
  }
  return std::string(s);
}

}  // namespace minirun::spec
