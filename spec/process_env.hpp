// The environment of a container process as runc builds it from process.env: its init sets
// each entry with os.Setenv (populateProcessEnvironment), then setupUser adds HOME. Pure; the
// runtime looks the home directory up in the container's /etc/passwd
// (runtime/process/user_home.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minirun::spec {

// runc's refusal of an entry, in its words: `invalid environment variable: "X"` (no '='),
// `environment variable name can't be empty: "=x"`, or a NUL byte in the name or value.
// nullopt when the entry is fine.
std::optional<std::string> invalid_env_entry(std::string_view entry);

// True when the process gets no HOME of its own: none in env, or the last one is empty
// (runc checks os.Getenv("HOME") == "").
bool needs_home(const std::vector<std::string>& env);

// True when env is already what runc passes to execve: no key twice, and a HOME.
bool env_is_final(const std::vector<std::string>& env);

// What runc passes to execve: each key once, at the place it first appears, with the value
// it was given last (Go's Setenv); then, if needs_home(env), HOME=home in place of an empty
// HOME or at the end.
std::vector<std::string> final_env(const std::vector<std::string>& env, std::string_view home);

}  // namespace minirun::spec
