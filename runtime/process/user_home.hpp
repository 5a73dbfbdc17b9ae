// HOME for a container process that has none, as runc's setupUser sets it: the home
// directory of the process's UID in the container's own /etc/passwd, else "/".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"

namespace minirun::runtime {

// uid's home directory in /etc/passwd as this process resolves it: call it from init or the
// exec child once it is in the container's root (after pivot_root, chroot or exec's chroot),
// so the file is the container's. It is the container's to write, so it is read with care:
// no magic link (/proc/PID/root, /proc/self/fd/N) is followed, anything but a regular file
// counts as no passwd (a FIFO cannot block, a /proc file reads as empty), and at most the
// first 4 MiB are read. Missing, unreadable, no such UID or an empty home field: "/".
// Call it before the seccomp filter and before dropping privileges, as runc reads it as root.
std::string container_home(uint32_t uid);

// process.env as the container process gets it (spec::final_env), with container_home() read
// only when HOME is missing. nullopt: process.env is final already, use it as it is.
std::optional<std::vector<std::string>> container_env(const spec::Process& process);

}  // namespace minirun::runtime
