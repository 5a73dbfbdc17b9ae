#include "spec/subid.hpp"

#include <string>

#include "spec/text.hpp"

namespace minirun::spec {

namespace {

// The range of `text` owned by the user that holds `id`, if any.
std::optional<SubIdRange> range_holding(std::string_view text, std::string_view name,
                                        std::string_view uid, uint64_t id) {
  for (std::string_view line : lines(text)) {
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
  auto start = to_u64(fields[1]);
  auto count = to_u64(fields[2]);
  if (range.owner.empty() || !start || !count) return std::nullopt;
  range.start = *start;
  range.count = *count;
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
