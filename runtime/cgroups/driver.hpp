// The one way the container code reaches cgroups: a driver (runc's cgroups.Manager, youki's
// CgroupManager, crun's table of cgroup manager functions) answers the same verbs whatever
// places the container's cgroups. cgroupfs (v1, v2 and hybrid hosts) is the first driver; a
// rootless container has the "delegated" one inside a cgroup2 subtree its user may write
// (delegated_driver.hpp), else the "none" driver (no_cgroups_driver.hpp); a systemd one is
// still to come.
//
// A driver holds no container: like crun's manager table it is one object per kind, and what
// a container owns travels as data, so that picking a driver costs run no allocation. `create`
// and `run` hand it the CgroupPlan it made before clone; every later verb hands it the
// CgroupPaths state.json keeps (State::cgroup_paths).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/cgroups/cgroups.hpp"
#include "runtime/cgroups/manager.hpp"
#include "runtime/sys/error.hpp"
#include "runtime/sys/fd.hpp"
#include "spec/cgroup_stats.hpp"
#include "spec/config.hpp"
#include "spec/state.hpp"

namespace minirun::runtime {

// `events`: OOM kills in a container's cgroup as they happen.
class OomEvents {
 public:
  virtual ~OomEvents() = default;
  // Waits up to timeout_ms; true when at least one OOM kill happened meanwhile.
  virtual sys::Result<bool> wait(int timeout_ms) = 0;
};

class CgroupDriver {
 public:
  virtual ~CgroupDriver() = default;

  // What state.json records as the driver that made a container ("cgroupfs", "none"), so
  // later verbs pick the same one (cgroup_driver_of).
  virtual const char* name() const = 0;

  // Before anything exists: where the container's cgroups go and what linux.resources asks
  // of them, checked against this host (an unavailable controller is refused here).
  virtual sys::Result<CgroupPlan> plan(const spec::Config& config, const std::string& id) const = 0;

  // Makes the cgroups and applies the resources; nothing has joined yet. On failure what was
  // made is removed again.
  virtual sys::Status create(const CgroupPlan& plan) const = 0;

  // The cgroup clone3(CLONE_INTO_CGROUP) can start init in, so that init needs no migration
  // later (a cgroup.procs write takes a global lock); an invalid fd when there is none.
  virtual sys::Fd clone_target(const CgroupPlan& plan) const = 0;

  // Moves a new init into every cgroup of the plan; in_clone_target: clone3 already put it in
  // clone_target's.
  virtual sys::Status join_init(const CgroupPlan& plan, pid_t pid, bool in_clone_target) const = 0;

  // Moves a process into a made container's cgroups (exec).
  virtual sys::Status join(const CgroupPaths& paths, pid_t pid) const = 0;

  // `update`: resources applied to a made container.
  virtual sys::Status update(const CgroupPaths& paths, const spec::Resources& resources) const = 0;

  // pause/resume: freeze returns once every task is frozen. frozen is false also without a
  // freezer.
  virtual sys::Status freeze(const CgroupPaths& paths) const = 0;
  virtual sys::Status thaw(const CgroupPaths& paths) const = 0;
  virtual bool frozen(const CgroupPaths& paths) const = 0;

  // The container's processes (host pids).
  virtual sys::Result<std::vector<pid_t>> pids(const CgroupPaths& paths) const = 0;

  // sig to every process, frozen meanwhile so none forks away.
  virtual sys::Status signal_all(const CgroupPaths& paths, int sig) const = 0;
  // signal_all for a container whose creation was interrupted: its init may have joined only
  // some of the cgroups, so each is looked in.
  virtual sys::Status signal_all_unfinished(const CgroupPaths& paths, int sig) const = 0;

  // `events --stats`: what the host cannot tell stays zero.
  virtual spec::CgroupStats stats(const CgroupPaths& paths) const = 0;

  // `events`: a source of OOM kills (one that never fires without a memory controller).
  virtual sys::Result<std::unique_ptr<OomEvents>> oom_events(const CgroupPaths& paths) const = 0;

  // Removes the cgroups, waiting briefly while the kernel still counts exiting tasks.
  virtual sys::Status destroy(const CgroupPaths& paths) const = 0;
  // The cheap end of a foreground run, whose cgroups are empty once init is reaped: true when
  // they are gone; false leaves the rest to destroy.
  virtual bool destroy_if_empty(const CgroupPaths& paths) const = 0;
};

// The driver the global flags ask for, for create, run and check; a kind minirun lacks is
// refused: --systemd-cgroup in runc's words when systemd is not running (its manager refuses
// there too), in another line when it is. Rootless (flags.rootless: --rootless=true, or auto
// and a non-root caller) gets the delegated driver where the container's cgroup would lie in a
// delegated cgroup2 subtree (find_delegation), else rootless_cgroup_driver's choice.
sys::Result<const CgroupDriver*> cgroup_driver_for(const CgroupManagerFlags& flags,
                                                   const spec::Config& config,
                                                   const std::string& id);

// Pure part of cgroup_driver_for for a rootless container: undelegated is null when the
// container's cgroup would lie in a delegated subtree, else why not. Without one, as runc's
// rootless manager: no cgroup when nothing asks for one, else one line naming what asks
// (linux.resources limits, or a linux.cgroupsPath) and why there is none.
sys::Result<const CgroupDriver*> rootless_cgroup_driver(const sys::Error* undelegated,
                                                        const spec::Linux& linux);

// The driver of a made container, from what state.json keeps: the one that made it (a state
// that names none predates the field and was made by cgroupfs).
const CgroupDriver& cgroup_driver_of(const spec::State& state);

}  // namespace minirun::runtime
