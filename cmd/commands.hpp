// The verbs: one function per verb file. Each declares its options on a Parser, parses its
// arguments (Invocation::parse), then does its work and returns the exit code. Only the
// chosen verb's options are ever built.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "cmd/argv_parser.hpp"
#include "cmd/globals.hpp"
#include "runtime/container/container.hpp"

namespace minirun::cmd {

struct Invocation;

struct Verb {
  std::string_view name;
  std::string_view alias;  // empty: none
  std::string_view summary;
  int (*main)(const Invocation&);
  // It puts a process in a container: it runs from a sealed copy of the binary (exe_seal.hpp).
  bool enters_container = false;
};

// One verb's run: the global options already parsed, and the arguments after the verb.
struct Invocation {
  const GlobalOptions& globals;
  const Verb& verb;
  std::span<const char* const> args;

  // A parser named after the verb, for the verb to declare its options on.
  argv::Parser parser() const { return argv::Parser("minirun", verb.name, verb.summary); }
  // Parses args. nullopt: go on (the --debug trace is on by now); otherwise the exit code:
  // 0 after printing --help, 1 after reporting a bad command line.
  std::optional<int> parse(argv::Parser& parser) const;
};

// The options `create` and `run` share (runc's), declared on the verb's parser.
void declare_create_options(argv::Parser& cmd, runtime::CreateOptions& options,
                            const char* console_socket_help);

int run_command(const Invocation& in);
int create_command(const Invocation& in);
int start_command(const Invocation& in);
int state_command(const Invocation& in);
int kill_command(const Invocation& in);
int delete_command(const Invocation& in);
int list_command(const Invocation& in);
int spec_command(const Invocation& in);
int exec_command(const Invocation& in);
int features_command(const Invocation& in);
int check_command(const Invocation& in);
int pause_command(const Invocation& in);
int resume_command(const Invocation& in);
int update_command(const Invocation& in);
int events_command(const Invocation& in);
int ps_command(const Invocation& in);

}  // namespace minirun::cmd
