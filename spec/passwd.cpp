#include "spec/passwd.hpp"

#include <charconv>

namespace minirun::spec {

namespace {

std::string_view trimmed(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool parse_id(std::string_view text, uint32_t& out) {
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && stop == end;
}

}  // namespace

std::optional<PasswdEntry> parse_passwd_line(std::string_view line) {
  line = trimmed(line);
  // Comments, as glibc's files database skips them (runc reads "#..." as a user).
  if (line.empty() || line.front() == '#') return std::nullopt;
  // name, password, uid, gid, gecos, home; the shell and anything after it are not read.
  std::string_view fields[6];
  size_t count = 0;
  while (count < 6) {
    const auto colon = line.find(':');
    fields[count++] = line.substr(0, colon);
    if (colon == std::string_view::npos) break;
    line.remove_prefix(colon + 1);
  }
  PasswdEntry entry;
  if (count < 3 || !parse_id(fields[2], entry.uid)) return std::nullopt;
  entry.name = fields[0];
  if (count > 3 && !parse_id(fields[3], entry.gid)) entry.gid = 0;
  if (count > 5) entry.home = fields[5];
  return entry;
}

std::optional<PasswdEntry> find_passwd_uid(std::string_view text, uint32_t uid,
                                           bool text_is_whole) {
  if (!text_is_whole) {
    const auto last_newline = text.rfind('\n');
    text = last_newline == std::string_view::npos ? std::string_view{}
                                                  : text.substr(0, last_newline + 1);
  }
  std::optional<PasswdEntry> found;
  for_each_passwd_entry(text, [&](const PasswdEntry& entry) {
    if (entry.uid == uid) found = entry;
    return !found;
  });
  return found;
}

}  // namespace minirun::spec
