// subuid(5)/subgid(5) lines, read the way shadow-utils' newuidmap and newgidmap read them:
// which subordinate ids a user may map into a user namespace. Pure: the caller reads the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace minirun::spec {

// owner:start:count. The owner is a user name or a decimal uid.
struct SubIdRange {
  std::string_view owner;
  uint64_t start = 0;
  uint64_t count = 0;
};

// One line: nullopt unless it has exactly three fields, a non-empty owner and decimal start and
// count (shadow-utils skips such a line; a '#' comment is one of them).
std::optional<SubIdRange> parse_subid_line(std::string_view line);

// Whether ids [start, start + count) all lie in ranges of `text` (a whole subuid or subgid
// file) owned by the user `name` or by its `uid` written as a number. As shadow-utils'
// have_range, a span may run across adjacent ranges of the same owner; count 0 is never granted.
bool subid_grants(std::string_view text, std::string_view name, uint32_t uid, uint64_t start,
                  uint64_t count);

}  // namespace minirun::spec
