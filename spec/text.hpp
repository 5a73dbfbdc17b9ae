// Splitting kernel text (/proc, /sys, cgroup files) into lines, fields and numbers, without
// iostreams: a stream drags libstdc++'s locale set-up into every start of the binary.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace minirun::spec {

// The non-empty pieces of text between separators ("a,,b" -> {"a", "b"}).
std::vector<std::string_view> split(std::string_view text, char separator);

// The non-empty lines of text.
std::vector<std::string_view> lines(std::string_view text);

// The whitespace-separated words of text (spaces, tabs and newlines).
std::vector<std::string_view> words(std::string_view text);

// A whole decimal number; nullopt for anything else (sign, garbage, overflow).
std::optional<uint64_t> to_u64(std::string_view text);

// "a FIFO", "a directory", ... for a stat(2) st_mode, in a refusal of a file that must be
// regular.
std::string_view file_type_name(unsigned mode);

}  // namespace minirun::spec
