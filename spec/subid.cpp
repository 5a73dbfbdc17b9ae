#include "spec/subid.hpp"

#include <charconv>
#include <string>

namespace minirun::spec {

namespace {

bool parse_number(std::string_view text, uint64_t& out) {
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && stop == end;
}

// The range of `text` owned by the user that holds `id`, if any.
std::optional<SubIdRange> range_holding(std::string_view text, std::string_view name,
                                        std::string_view uid, uint64_t id) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    auto range = parse_subid_line(line);
    if (!range || (range->owner != name && range->owner != uid)) continue;
    if (id >= range->start && id - range->start < range->count) return range;
  }
  return std::nullopt;
}

}  // namespace

std::optional<SubIdRange> parse_subid_line(std::string_view line) {
  std::string_view fields[3];
  for (size_t i = 0; i < 3; ++i) {
    const auto colon = line.find(':');
    if ((colon == std::string_view::npos) != (i == 2)) return std::nullopt;
    fields[i] = line.substr(0, colon);
    line.remove_prefix(i == 2 ? line.size() : colon + 1);
  }
  SubIdRange range;
  range.owner = fields[0];
  if (range.owner.empty() || !parse_number(fields[1], range.start) ||
      !parse_number(fields[2], range.count))
    return std::nullopt;
  return range;
}

bool subid_grants(std::string_view text, std::string_view name, uint32_t uid, uint64_t start,
                  uint64_t count) {
  if (count == 0) return false;
  const std::string uid_text = std::to_string(uid);
  const uint64_t last = start + (count - 1);
  if (last < start) return false;  // wraps around
  for (;;) {
    auto range = range_holding(text, name, uid_text, start);
    if (!range) return false;
    const uint64_t range_last = range->start + (range->count - 1);
    if (range_last >= last) return true;
    start = range_last + 1;
  }
}

}  // namespace minirun::spec
