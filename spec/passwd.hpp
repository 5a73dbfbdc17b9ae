// passwd(5) lines, read the way runc's libcontainer/user reads them. One parser for `list`'s
// owner column (the host's /etc/passwd) and for the HOME a container process gets (the
// container's own /etc/passwd). Pure: the callers read the files.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace minirun::spec {

// name:password:UID:GID:GECOS:directory:shell. Views into the parsed line.
struct PasswdEntry {
  std::string_view name;
  uint32_t uid = 0;
  uint32_t gid = 0;       // 0 when the field is missing or not a number
  std::string_view home;  // empty when the field is missing
};

// One line, surrounding whitespace ignored, as runc splits it on ':'. nullopt for a blank
// line, a '#' comment and a line whose UID field is missing or not a decimal number, which
// runc would read as an entry (the last two with UID 0).
std::optional<PasswdEntry> parse_passwd_line(std::string_view line);

// The first entry of `text` (a whole passwd file) with this UID, as runc's GetExecUser takes
// the first match. A last line cut short (a file read up to a size limit) is not looked at
// unless `text_is_whole`.
std::optional<PasswdEntry> find_passwd_uid(std::string_view text, uint32_t uid,
                                           bool text_is_whole = true);

// Calls visit(entry) for each entry of `text` in order until it returns false.
template <typename Visit>
void for_each_passwd_entry(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (auto entry = parse_passwd_line(line))
      if (!visit(*entry)) return;
  }
}

}  // namespace minirun::spec
