#include "runtime/sys/mountinfo.hpp"

#include <charconv>

#include "runtime/sys/file.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

std::string unescape(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '3' &&
        field[i + 2] >= '0' && field[i + 2] <= '7' && field[i + 3] >= '0' && field[i + 3] <= '7') {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                               (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

}  // namespace

bool MountInfoEntry::is_shared() const {
  for (const auto& field : optional_fields)
    if (field.rfind("shared:", 0) == 0) return true;
  return false;
}

std::optional<MountInfoEntry> parse_mountinfo_line(std::string_view line) {
  auto fields = spec::split(line, ' ');
  // id parent major:minor root mount_point options [optional...] - type source super_options
  if (fields.size() < 10) return std::nullopt;
  MountInfoEntry entry;
  auto number = [](std::string_view field, uint64_t& out) {
    auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), out);
    return error == std::errc() && end == field.data() + field.size();
  };
  if (!number(fields[0], entry.id) || !number(fields[1], entry.parent_id)) return std::nullopt;
  entry.root = unescape(fields[3]);
  entry.mount_point = unescape(fields[4]);
  entry.mount_options = std::string(fields[5]);
  size_t i = 6;
  for (; i < fields.size() && fields[i] != "-"; ++i) entry.optional_fields.emplace_back(fields[i]);
  if (i + 2 >= fields.size()) return std::nullopt;
  entry.fs_type = unescape(fields[i + 1]);
  entry.source = unescape(fields[i + 2]);
  if (i + 3 < fields.size()) entry.super_options = std::string(fields[i + 3]);
  return entry;
}

sys::Result<std::vector<MountInfoEntry>> read_mountinfo(const std::string& step) {
  auto text = sys::read_file("/proc/self/mountinfo", step);
  if (!text) return text.error();
  std::vector<MountInfoEntry> out;
  for (auto line : spec::lines(*text))
    if (auto entry = parse_mountinfo_line(line)) out.push_back(std::move(*entry));
  return out;
}

bool path_is_within(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  if (path.compare(0, dir.size(), dir) != 0) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

const MountInfoEntry* mount_containing(const std::vector<MountInfoEntry>& mounts,
                                       const std::string& path) {
  const MountInfoEntry* best = nullptr;
  for (const auto& entry : mounts) {
    if (!path_is_within(path, entry.mount_point)) continue;
    if (!best || entry.mount_point.size() >= best->mount_point.size()) best = &entry;
  }
  return best;
}

std::vector<MountInfoEntry> visible_mounts(const std::vector<MountInfoEntry>& mounts) {
  std::vector<MountInfoEntry> out;
  for (size_t i = 0; i < mounts.size(); ++i) {
    bool hidden = false;
    for (size_t j = i + 1; j < mounts.size() && !hidden; ++j)
      hidden = path_is_within(mounts[i].mount_point, mounts[j].mount_point);
    if (!hidden) out.push_back(mounts[i]);
  }
  return out;
}

}  // namespace minirun::runtime
