#include "spec/namespace_kinds.hpp"

#include <sched.h>

#include <array>

namespace minirun::spec {

namespace {

constexpr std::array<NamespaceKind, 8> kKinds{{
    {NamespaceType::user, "user", "user", CLONE_NEWUSER},
    {NamespaceType::pid, "pid", "pid", CLONE_NEWPID},
    {NamespaceType::network, "network", "net", CLONE_NEWNET},
    {NamespaceType::ipc, "ipc", "ipc", CLONE_NEWIPC},
    {NamespaceType::uts, "uts", "uts", CLONE_NEWUTS},
    {NamespaceType::cgroup, "cgroup", "cgroup", CLONE_NEWCGROUP},
    {NamespaceType::time, "time", "time", CLONE_NEWTIME},
    {NamespaceType::mount, "mount", "mnt", CLONE_NEWNS},
}};

}  // namespace

std::span<const NamespaceKind> namespace_kinds() {
  return kKinds;
}

const NamespaceKind& namespace_kind(NamespaceType type) {
  for (const auto& kind : kKinds)
    if (kind.type == type) return kind;
  return kKinds.back();  // unreachable: every NamespaceType is in the table (unit-tested)
}

std::optional<NamespaceType> namespace_type_from_name(std::string_view name) {
  for (const auto& kind : kKinds)
    if (kind.name == name) return kind.type;
  return std::nullopt;
}

std::string_view namespace_type_name(NamespaceType type) {
  return namespace_kind(type).name;
}

std::optional<NamespaceType> namespace_a_filesystem_shows(std::string_view fs_type) {
  if (fs_type == "sysfs") return NamespaceType::network;
  if (fs_type == "proc") return NamespaceType::pid;
  if (fs_type == "mqueue") return NamespaceType::ipc;
  return std::nullopt;
}

}  // namespace minirun::spec
