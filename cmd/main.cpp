// minirun: a small, fast OCI runtime with runc's command line.
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "cmd/commands.hpp"
#include "cmd/globals.hpp"
#include "cmd/state_root.hpp"
#include "runtime/process/exe_seal.hpp"
#include "runtime/sys/user_namespace.hpp"
#include "spec/quote.hpp"

namespace minirun::cmd {

namespace {

constexpr std::array<Verb, 16> kVerbs{{
    {"run", "", "create and start a container (waits for it unless -d)", run_command, true},
    {"create", "", "create a container; `start` runs its process", create_command, true},
    {"start", "", "start the process of a created container", start_command},
    {"state", "", "print the state of a container as JSON", state_command},
    {"kill", "", "send a signal (default SIGTERM) to the container's init", kill_command},
    {"delete", "", "delete a stopped container (or any, with --force)", delete_command},
    {"list", "ls", "list containers in the state root", list_command},
    {"spec", "", "write a default config.json (with its own network namespace)", spec_command},
    {"exec", "", "run a process in a running container", exec_command, true},
    {"features", "", "show the implemented features as JSON", features_command},
    {"check", "", "validate a bundle without running it and explain what it would set up",
     check_command},
    {"pause", "", "suspend every process of the container", pause_command},
    {"resume", "", "resume a paused container", resume_command},
    {"update", "", "update a container's resource limits", update_command},
    {"events", "", "print container events (stats, oom) as JSON lines", events_command},
    {"ps", "", "list the processes running in a container", ps_command},
}};

const Verb* find_verb(std::string_view name) {
  for (const auto& verb : kVerbs)
    if (verb.name == name || (!verb.alias.empty() && verb.alias == name)) return &verb;
  return nullptr;
}

// "Commands:" and one line per verb, for the global --help.
std::string verb_list() {
  std::string out = "Commands:\n";
  for (const auto& verb : kVerbs) {
    std::string name(verb.name);
    if (!verb.alias.empty()) name.append(", ").append(verb.alias);
    out.append("  ").append(name).append(12 - name.size(), ' ').append(verb.summary) += '\n';
  }
  out += "  help, h     this list, or one command's options (help COMMAND)\n";
  return out;
}

}  // namespace

std::optional<int> Invocation::parse(argv::Parser& parser) const {
  auto parsed = parser.parse(args);
  if (parsed.kind == argv::ParseResult::Kind::help) {
    std::fputs(parser.help_text().c_str(), stdout);
    return 0;
  }
  if (!parsed.ok())
    return report_error(globals, "minirun: " + std::string(verb.name) + ": " + parsed.error);
  // --debug turns the step trace on before the verb does anything.
  if (!enable_debug_trace(globals)) return 1;
  return std::nullopt;
}

}  // namespace minirun::cmd

int main(int argc, char** argv) {
  using namespace minirun::cmd;
  GlobalOptions globals;
  bool version = false;
  std::string verb_name;

  argv::Parser parser("minirun", "",
                      "minirun: a small, fast OCI container runtime focused on networking");
  parser.option("--root", globals.root,
                "root directory for container state (default: /run/minirun; for a non-root "
                "user $XDG_RUNTIME_DIR/minirun)");
  parser.option("--log", globals.log, "write errors to this file as well as stderr");
  parser.option("--log-format", globals.log_format, "log format").one_of("text|json");
  parser.flag("--debug", globals.debug, "log the steps of container start");
  parser.flag("--systemd-cgroup", globals.systemd_cgroup,
              "systemd cgroups manager: not supported, so create, run and check refuse it (as "
              "runc does where systemd is not running); other commands ignore it, as runc does");
  parser
      .option("--rootless", globals.rootless,
              "rootless handling: true forces it, false forbids it, auto is rootless for a "
              "non-root user and for root in a user namespace; a rootless container gets a "
              "cgroup2 cgroup inside a subtree delegated to its user, else none (and may not ask "
              "for limits or a cgroupsPath)")
      .one_of("true|false|auto");
  parser.flag("-v,--version", version, "print the version").stops_parsing();
  parser.positional("COMMAND", verb_name, "the verb to run");
  parser.stop_after_positionals();

  const char* const* args = argv;
  std::span<const char* const> arguments(args + 1, static_cast<size_t>(argc > 0 ? argc - 1 : 0));
  auto parsed = parser.parse(arguments);
  if (parsed.kind == argv::ParseResult::Kind::help) {
    std::fputs(parser.help_text(verb_list()).c_str(), stdout);
    return 0;
  }
  if (version) {
    std::printf("minirun version %s\nspec: 1.3.0\n", MINIRUN_VERSION);
    return 0;
  }
  if (!parsed.ok()) return report_error(globals, "minirun: " + parsed.error);
  if (verb_name.empty())
    return report_error(globals, "minirun: no command given (see minirun --help)");
  const bool in_user_namespace = minirun::sys::in_user_namespace();
  globals.is_rootless = rootless_for(globals.rootless, geteuid(), in_user_namespace);
  if (globals.root.empty()) {
    auto root = default_state_root(geteuid(), getenv("XDG_RUNTIME_DIR"), in_user_namespace);
    globals.root = root.path;
    if (root.in_xdg_runtime_dir)
      if (auto made = prepare_private_state_root(globals.root); !made)
        return report_error(globals, made.error());
  }
  // runc's `help [VERB]`: the same text as `--help` and `VERB --help`.
  auto rest = arguments.subspan(parsed.next);
  if (verb_name == "help" || verb_name == "h") {
    if (rest.empty()) {
      std::fputs(parser.help_text(verb_list()).c_str(), stdout);
      return 0;
    }
    verb_name = rest[0];
    const char* const help_args[] = {"--help"};
    rest = help_args;
    const Verb* verb = find_verb(verb_name);
    if (!verb)
      return report_error(globals,
                          "minirun: no help topic for " + minirun::spec::go_quote(verb_name));
    return verb->main(Invocation{globals, *verb, rest});
  }
  const Verb* verb = find_verb(verb_name);
  if (!verb)
    return report_error(globals, "minirun: unknown command " + minirun::spec::go_quote(verb_name) +
                                     " (see minirun --help)");
  if (verb->enters_container) {
    // Returns at once when sealed already; an error means no container may see this binary.
    if (auto sealed = minirun::runtime::reexec_sealed(argv); !sealed)
      return report_error(globals,
                          "minirun " + verb_name + " failed: " + sealed.error().describe());
  }
  return verb->main(Invocation{globals, *verb, rest});
}
