// The privilege-dropping steps of the container init: rlimits, no_new_privs, OOM score,
// scheduling/IO/personality attributes, and the user + capability switch before exec.
// Each runs in the process it changes; none throws.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/sys/error.hpp"
#include "spec/config.hpp"

namespace minirun::runtime {

// prlimit(pid, ...) for each entry, in order; pid 0 is the calling process. runc applies
// rlimits from the parent (its pid argument) because raising a hard limit is no longer
// possible once the child sits in a new user namespace. A refused raise of a hard limit says
// so: it takes CAP_SYS_RESOURCE on the host (which root lacks on some hosts too). Step "rlimits".
sys::Status apply_rlimits(const std::vector<spec::Rlimit>& rlimits, pid_t pid = 0);

// prctl(PR_SET_NO_NEW_PRIVS, 1). Step "no_new_privs".
sys::Status set_no_new_privs();

// Writes /proc/<pid>/oom_score_adj from the parent (init's before it runs, an exec's child's).
// Lowering it takes CAP_SYS_RESOURCE on the host, which the error says when it is refused.
// Step "oom_score_adj".
sys::Status set_oom_score_adj(pid_t pid, int score);

// process.scheduler (sched_setattr), process.ioPriority (ioprio_set),
// linux.personality (domain only; flags have no defined values and are ignored, as runc does)
// and the umask (process.user.umask, 0022 when unset, as runc). A policy or class refused
// for want of privilege says which capability it takes on the host.
// Steps "scheduler", "ioprio", "personality".
sys::Status apply_process_attributes(const spec::Process& process,
                                     const std::optional<spec::Personality>& personality);

// runc's finalizeNamespace order: drop everything outside `bounding` from the bounding set,
// PR_SET_KEEPCAPS, setgroups(additionalGids) unless /proc/self/setgroups says "deny",
// setresgid, setresuid, clear KEEPCAPS, set effective/permitted/inheritable, then reset the
// ambient set and raise each listed ambient cap, ignoring failures (runc only warns).
// No capabilities object means empty sets everywhere, bounding included (runc).
// Unknown or kernel-unsupported capability names are skipped (runc warns and ignores).
// Steps "capabilities", "setgroups", "setgid", "setuid".
sys::Status drop_privileges(const spec::Process& process);

// chdir(cwd), then runc's verifyCwd (CVE-2024-21626): a cwd reached through an fd from
// outside the container's root makes getcwd(2) fail with ENOENT or answer "(unreachable)/...";
// either is refused, in runc's words. Step "cwd".
sys::Status enter_cwd(const std::string& cwd);

}  // namespace minirun::runtime
