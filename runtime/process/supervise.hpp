// Foreground `run`: forward signals to the container process, proxy its terminal, and turn
// its end into an exit code.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

// The signals `run` forwards; blocked before clone so none is lost in between.
sigset_t forwarded_signals();

// Waits for pid to end; returns its exit code, or 128+N when signal N killed it.
// console: the pty master when process.terminal is set (else invalid).
sys::Result<int> supervise(pid_t pid, const sys::Fd& console);

}  // namespace minirun::runtime
