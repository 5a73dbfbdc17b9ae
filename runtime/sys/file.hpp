// Whole-file reads and writes for small kernel files (/proc, /sys) and state files.
#pragma once

#include <sys/types.h>

#include <string>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::sys {

// One write(2) of the whole text, as kernel files expect; the error names step and path.
Status write_file(const std::string& path, const std::string& text, const std::string& step);
Status write_at(int dirfd, const std::string& path, const std::string& text,
                const std::string& step, int extra_flags = 0);
Result<std::string> read_file(const std::string& path, const std::string& step);

// Writes path atomically, never through a link someone planted: runc's pid-file shape, a
// temp file ".<name>" created O_EXCL|O_NOFOLLOW in an fd of path's directory, then renamed
// over path (exchanged with what is there, which is then unlinked: a symlink is replaced, not
// followed). An existing ".<name>" is an error, not something to write into. fsync-free.
Status write_file_atomic(const std::string& path, const std::string& text, const std::string& step);

// mkfifoat(dir_fd, name) with exactly `mode`: the umask is lifted for the call instead of a
// chmod after it, which would follow a symlink put in the fifo's place. An existing name is an
// error (EEXIST), whatever it is.
Status make_fifo_at(int dir_fd, const std::string& name, mode_t mode, const std::string& step);

// Opens path for appending (--log, which the caller may have made: containerd's shim creates
// log.json), creating it if missing. Anything but a regular file is refused, symlinks
// included, and the open neither follows a link nor blocks on a FIFO.
Result<Fd> open_append(const std::string& path, const std::string& step);

}  // namespace minirun::sys
