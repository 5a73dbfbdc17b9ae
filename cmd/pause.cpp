// pause and resume: freeze and thaw every process of the container.
#include "cmd/commands.hpp"
#include "runtime/container/cgroup_verbs.hpp"

namespace minirun::cmd {

namespace {

int freezer_verb(const Invocation& in, sys::Status (*action)(const runtime::Container&)) {
  std::string id;
  auto cmd = in.parser();
  cmd.positional("ID", id, "container ID").required();
  if (auto exit = in.parse(cmd)) return *exit;
  // Locked, so that a pause cannot freeze what a concurrent delete is killing.
  auto container = runtime::Container::open(in.globals.root, id, runtime::Access::change);
  if (!container) return report_error(in.globals, container.error());
  auto done = action(*container);
  return done ? 0 : report_error(in.globals, done.error());
}

}  // namespace

int pause_command(const Invocation& in) {
  return freezer_verb(in, runtime::pause_container);
}

int resume_command(const Invocation& in) {
  return freezer_verb(in, runtime::resume_container);
}

}  // namespace minirun::cmd
