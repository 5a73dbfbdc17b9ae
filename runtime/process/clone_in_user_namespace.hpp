// Cloning a child into a user namespace the caller is not in: init's (process.cpp) and exec's
// child's (exec_child.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/namespaces/namespaces.hpp"
#include "runtime/sys/error.hpp"

namespace minirun::runtime {

// How a caller words the failures below; init's and exec's words differ.
struct JoinedCloneWords {
  std::string step;          // of the pipe, the clone of the middle process, and its death
  std::string clone_middle;  // a failed clone of the middle process
  std::string join_pid;      // a failed join of the pid namespace (step "namespaces")
  sys::Error clone_child;    // a failed clone of the child: step and message; errno is added
};

// From the user namespace's path, and only once something has failed.
using JoinedCloneWordsOf = JoinedCloneWords (*)(const std::string& user_path);

struct JoinedClone {
  long pid = -1;
  bool cloned_into_cgroup = false;  // as clone_child set it
};

// New namespaces belong to the user namespace of whoever clones them, and a pid namespace can
// only be joined with rights in its user namespace. So a short-lived middle process joins the
// user namespace in joins (there must be one), then a joined pid namespace (which applies to its
// children), and calls clone_child, which clones the child as the caller's own (CLONE_PARENT),
// as runc's nsexec does in its stages. clone_child returns as fork does: the pid, or -1 with
// errno; the child does not return. The child is in the user namespace from birth, so the
// middle process drops its join from joins first.
sys::Result<JoinedClone> clone_in_joined_user_namespace(
    std::vector<JoinedNamespace>& joins, JoinedCloneWordsOf words_of,
    const std::function<long(bool* cloned_into_cgroup)>& clone_child);

}  // namespace minirun::runtime
