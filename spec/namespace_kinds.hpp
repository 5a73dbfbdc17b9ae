// The namespace kinds config.json names (linux.namespaces[].type), with the kernel's names
// and clone flags: one table, read by the parser, validate, `features`, clone/setns and exec.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "spec/config.hpp"

namespace minirun::spec {

struct NamespaceKind {
  NamespaceType type;
  std::string_view name;       // as the spec spells it: "network"
  std::string_view proc_name;  // as /proc/PID/ns/ does: "net"
  int clone_flag;              // CLONE_NEWNET
};

// In the order a process joins them: user first (it grants the right to join the others),
// mount last (joining it moves the root).
std::span<const NamespaceKind> namespace_kinds();
const NamespaceKind& namespace_kind(NamespaceType type);

// "network" <-> NamespaceType::network.
std::optional<NamespaceType> namespace_type_from_name(std::string_view name);
std::string_view namespace_type_name(NamespaceType type);

// The namespace a filesystem shows, which the kernel lets a user namespace mount only when it
// owns that namespace: sysfs -> network, proc -> pid, mqueue -> ipc; nullopt for the others.
std::optional<NamespaceType> namespace_a_filesystem_shows(std::string_view fs_type);

}  // namespace minirun::spec
