// The calls a container's init may make between loading the seccomp filter and execve.
//
// A seccomp profile is written for runc: it allows what the container's program needs plus
// what runc's init calls after loading the filter. So minirun's init and exec children make no
// other call in that window. The list is what runc 1.1.5's init made there on x86_64 (strace
// of the thread that loads the filter and of a startContainer hook's child before its exec;
// with and without noNewPrivileges, a terminal, --preserve-fds, a hook), by name as
// libseccomp spells them. wait4 is minirun's one addition, for a startContainer hook's exit
// (runc waits on a thread the filter does not cover); a hook needs it for itself anyway once
// it runs a shell. tests/integration/process/test_seccomp_window.cpp starts containers under a
// profile that allows only these plus what busybox needs, with every other call killing.
#pragma once

#include <string_view>

namespace minirun::spec {

inline constexpr std::string_view kPostFilterSyscalls[] = {
    "capget",       "capset", "chdir",      "clone",  "close",        "dup3",
    "epoll_ctl",    "execve", "faccessat2", "fcntl",  "fstat",        "fstatfs",
    "futex",        "getcwd", "getdents64", "getpid", "getppid",      "newfstatat",
    "openat",       "pipe2",  "prctl",      "read",   "rt_sigaction", "rt_sigprocmask",
    "rt_sigreturn", "setgid", "setgroups",  "setuid", "write",        "wait4",
};

}  // namespace minirun::spec
