// The six OCI hooks (config.md "POSIX-platform Hooks"): each hook is run with the container
// state JSON on stdin, its own args and env, and killed when it outlives its timeout.
// Where each kind runs is the caller's business (see container.cpp and init.cpp); this file
// only knows how to run a list of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"
#include "spec/hook_kinds.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

using HookKind = spec::HookKind;

std::string_view hook_kind_name(HookKind kind);

// The config's hooks of that kind; empty when there are none.
const std::vector<spec::Hook>& hooks_of(const spec::Config& config, HookKind kind);

// Runs the hooks in order and stops at the first failure, with runc's words:
// "error running createRuntime hook #0: exit status 3, stdout: ..., stderr: ..." or
// "... hook ran past specified timeout of 1.0s". The hook's stdout and stderr are captured
// for that message, not passed on. Safe to call from the container init (no threads), also
// past its seccomp filter (only calls runc makes there, spec/post_filter_syscalls.hpp).
// cloexec_from: every fd at or above it is close-on-exec already (init, after its pass), so
// the hook's child marks only 3 .. cloexec_from-1; -1: it closes every fd above stdio.
sys::Status run_hooks(const std::vector<spec::Hook>& hooks, HookKind kind,
                      const std::string& state_json, int cloexec_from = -1);

// The config's hooks of that kind, fed hook_state_json(state, kind). The JSON is built only
// when there is a hook to read it: most configs have none, and init is on a start's critical
// path.
sys::Status run_hooks(const spec::Config& config, HookKind kind, const spec::State& state,
                      int cloexec_from = -1);

// poststart and poststop: the spec says a failure is logged as a warning and the lifecycle
// goes on. Writes one warning line to stderr per failure.
void run_hooks_warn_only(const std::vector<spec::Hook>& hooks, HookKind kind,
                         const std::string& state_json);

// The state hooks read: `state` with the status the spec gives the hook kind
// (creating / created / running / stopped).
std::string hook_state_json(spec::State state, HookKind kind);

}  // namespace minirun::runtime
