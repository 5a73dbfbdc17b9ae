// `events --stats`: the container's usage read from whichever hierarchy holds each controller
// (v1 files, or cgroup2's). Missing files leave their fields zero: a stat the host cannot
// give is not an error.
#pragma once

#include <string>
#include <string_view>

#include "runtime/cgroups/paths.hpp"
#include "spec/cgroup_stats.hpp"

namespace minirun::runtime {

spec::CgroupStats read_cgroup_stats(const CgroupPaths& paths);

// Pure helpers, tested on their own: "key value" lines, blkio "8:0 Read 4096" lines,
// io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4" lines.
std::map<std::string, uint64_t> parse_flat_keyed(std::string_view text);
std::vector<spec::BlkioEntry> parse_blkio_v1(std::string_view text);
void parse_io_stat(std::string_view text, spec::BlkioStats& out);

// Sizes a hugetlb controller knows ("2MB", "1GB"), from its file names in dir.
std::vector<std::string> hugetlb_sizes(const std::string& dir);

}  // namespace minirun::runtime
