// Whole-file reads and writes for small kernel files (/proc, /sys) and state files.
#pragma once

#include <string>

#include "runtime/sys/error.hpp"

namespace minirun::sys {

// One write(2) of the whole text, as kernel files expect; the error names step and path.
Status write_file(const std::string& path, const std::string& text, const std::string& step);
Status write_at(int dirfd, const std::string& path, const std::string& text,
                const std::string& step, int extra_flags = 0);
Result<std::string> read_file(const std::string& path, const std::string& step);

// Writes path atomically: a temp file in the same directory, fsync-free rename.
Status write_file_atomic(const std::string& path, const std::string& text, const std::string& step);

}  // namespace minirun::sys
