#include "runtime/container/container.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "runtime/cgroups/driver.hpp"
#include "runtime/container/bundle.hpp"
#include "runtime/container/preflight.hpp"
#include "runtime/container/state_store.hpp"
#include "runtime/container/status.hpp"
#include "runtime/process/console_socket.hpp"
#include "runtime/process/hooks.hpp"
#include "runtime/process/preserved_fds.hpp"
#include "runtime/process/process.hpp"
#include "runtime/process/security.hpp"
#include "runtime/process/supervise.hpp"
#include "runtime/process/sync.hpp"
#include "runtime/process/terminal.hpp"
#include "runtime/rootfs/rootfs.hpp"
#include "runtime/sys/clock.hpp"
#include "runtime/sys/file.hpp"
#include "runtime/sys/proc_stat.hpp"
#include "runtime/sys/trace.hpp"
#include "spec/parse.hpp"
#include "spec/passwd.hpp"

namespace minirun::runtime {

using spec::ContainerStatus;

namespace {

// Restores the caller's signal mask when the operation ends, whichever way.
class BlockedSignals {
 public:
  explicit BlockedSignals(const sigset_t& set) { sigprocmask(SIG_BLOCK, &set, &saved_); }
  ~BlockedSignals() { sigprocmask(SIG_SETMASK, &saved_, nullptr); }
  const sigset_t& saved() const { return saved_; }

 private:
  sigset_t saved_{};
};

// How init starts the container process once it is ready.
enum class StartMode {
  on_start,  // blocks on exec.fifo until `start` (or run's parent) opens it
  // run without a terminal: execs at once, without the fifo's round trip through the parent
  // (about 0.2 ms of a 5 ms run). state.json says "running" from the start, and the parent
  // writes it while init execs. With a terminal, run copies the window size first.
  at_once_unless_terminal,
};

// A container whose init is ready: blocked on exec.fifo, or exec'ing when started_at_once.
struct Created {
  Bundle bundle;
  StateDir dir;
  InitProcess init;
  sys::Fd console;  // pty master, when process.terminal
  spec::State state;
  bool started_at_once = false;
};

// pid and init_start_time are filled in once init exists.
spec::State initial_state(const CreateOptions& options, const Bundle& bundle) {
  spec::State state;
  state.ociVersion = bundle.config.ociVersion;
  state.id = options.id;
  state.status = ContainerStatus::created;
  state.bundle = bundle.dir;
  state.rootfs = bundle.rootfs;
  state.created = rfc3339_now();
  state.annotations = bundle.config.annotations;
  return state;
}

// Serves init's messages until it is ready to exec (or has failed). run_hooks: the prestart
// and createRuntime hooks, which init asks for once its mounts are done.
sys::Status await_ready(const InitProcess& init, sys::Fd* console,
                        const std::function<sys::Status()>& run_hooks) {
  for (;;) {
    sys::Fd fd;
    auto msg = recv_sync(init.sync.get(), &fd);
    if (!msg) {
      if (is_eof(msg.error())) {
        MR_TRY(exec_outcome(init.pid));  // the error, with why
        return sys::Error::plain("init", "container init exited unexpectedly");
      }
      return msg.error();
    }
    switch (msg->type) {
      case SyncType::console:
        *console = std::move(fd);
        break;
      case SyncType::run_hooks:
        MR_TRY(run_hooks());
        if (auto sent = send_sync(init.sync.get(), SyncType::hooks_done); !sent) {
          MR_TRY(exec_outcome(init.pid));  // init died meanwhile: that is the error
          return sent.error();
        }
        break;
      case SyncType::ready:
        return {};
      case SyncType::error:
        return error_from_sync(*msg);
      default:
        return sys::Error::plain("sync", "unexpected message from init");
    }
  }
}

// After start: EOF on the socket means init exec'd; a message means the exec failed.
sys::Status await_exec(const InitProcess& init) {
  auto msg = recv_sync(init.sync.get());
  if (!msg) return is_eof(msg.error()) ? exec_outcome(init.pid) : sys::Status{msg.error()};
  if (msg->type == SyncType::error) return error_from_sync(*msg);
  return sys::Error::plain("sync", "unexpected message from init");
}

// Kills what is left in the container's cgroups and removes them.
void release_cgroups(const spec::State& state) {
  if (state.cgroup_paths.empty()) return;
  (void)traced("cgroups", "release", [&]() -> sys::Status {
    const CgroupDriver& cgroups = cgroup_driver_of(state);
    // After a foreground run the cgroups are empty already: no freezing, no signals.
    if (cgroups.destroy_if_empty(state.cgroup_paths)) return {};
    if (auto pids = cgroups.pids(state.cgroup_paths); !pids || !pids->empty())
      (void)cgroups.signal_all(state.cgroup_paths, SIGKILL);
    return cgroups.destroy(state.cgroup_paths);
  });
}

// Without a mount namespace of its own, init's mounts are in the caller's mount table: they
// go with the container (runc 1.1 leaves them there).
sys::Status release_rootfs_mounts(const spec::State& state) {
  if (!state.rootfs_mount_below) return {};
  return traced("rootfs", "detach the mounts in the caller's mount namespace",
                [&] { return detach_rootfs_mounts(state.rootfs, *state.rootfs_mount_below); });
}

// The end of a container that failed to start: init, its cgroups and its mounts go.
void discard(const Created& created) {
  kill_and_reap(created.init.pid);
  release_cgroups(created.state);
  (void)release_rootfs_mounts(created.state);
}

// Opens exec.fifo for reading, which lets init's blocked open return and exec; then removes
// the fifo so the status reads "running". Fails if init dies instead.
sys::Status release_init(const std::string& state_dir, pid_t pid) {
  // The pidfd first: opening the fifo releases init, and a short process may exit and be
  // reaped by its parent (conmon, the shim) before a later pidfd_open could find it.
  sys::Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) return sys::Error::plain("", "container not running");
  std::string fifo_path = state_dir + "/" + kExecFifo;
  sys::Fd fifo(open(fifo_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fifo) return sys::Error::from_errno("start", "open " + fifo_path);
  for (;;) {
    struct pollfd fds[2] = {{fifo.get(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return sys::Error::from_errno("start", "poll exec fifo");
    }
    if (fds[0].revents & POLLIN) {
      char byte;
      if (read(fifo.get(), &byte, 1) == 1) break;
    }
    if (fds[1].revents & POLLIN) return sys::Error::plain("", "container not running");
  }
  unlink(fifo_path.c_str());
  return {};
}

// uid -> name from the host's /etc/passwd, read directly: the binary is static, and glibc's
// NSS cannot be loaded into it.
std::map<uid_t, std::string> user_names() {
  std::map<uid_t, std::string> names;
  auto passwd = sys::read_file("/etc/passwd", "list");
  if (!passwd) return names;
  spec::for_each_passwd_entry(*passwd, [&](const spec::PasswdEntry& entry) {
    names.emplace(entry.uid, std::string(entry.name));
    return true;
  });
  return names;
}

// A terminal container that will run without us (create, run -d) hands its pty master to
// --console-socket; without one there is nobody to own the terminal.
sys::Status hand_over_console(const Created& created, const std::string& console_socket) {
  if (console_socket.empty())
    return sys::Error::plain(
        "", "cannot allocate tty if minirun will detach without setting console socket");
  return send_console(console_socket, created.console.get());
}

// Everything up to a ready init: validate, plan, clone, serve init's steps. Nothing is left
// behind on failure: the state dir is owned by Created until kept, init is killed.
// blocked (run): the forwarded signals are blocked into it once the bundle is loaded and
// checked, right before the state directory, the cgroups and the clone: not earlier, so that
// SIGTERM still stops a run stuck on its bundle, and not later, so that a signal cannot leave
// half a container behind. The mask it saved, the caller's, is the container process's;
// create's container process starts with none blocked.
sys::Result<Created> create(const CreateOptions& options, std::optional<BlockedSignals>* blocked,
                            StartMode mode) {
  auto where = ContainerDir::of(options.root, options.id);
  if (!where) return where.error();
  reserve_preserved_fds(options.preserve_fds);
  // The same checks `minirun check` runs, so its verdict is this one.
  auto checked = traced("config", "load, validate, plan", [&] {
    return preflight(options.bundle, options.id, options.cgroup_manager);
  });
  if (!checked) return checked.error();
  Bundle* bundle = &checked->bundle;
  const spec::Config& config = bundle->config;

  InitPlan plan;
  plan.config = &config;
  plan.rootfs = bundle->rootfs;
  plan.no_pivot = options.no_pivot;
  plan.preserve_fds = options.preserve_fds;
  plan.new_keyring = !options.no_new_keyring;
  plan.hook_state = initial_state(options, *bundle);
  plan.namespaces = std::move(checked->namespaces);
  plan.seccomp = std::move(checked->seccomp);
  const CgroupDriver& driver = *checked->cgroup_driver;
  const CgroupPlan* cgroups = &checked->cgroups;
  const bool at_once = mode == StartMode::at_once_unless_terminal && !config.process->terminal;
  if (plan.namespaces.in_caller_mount_ns()) {
    auto below = mount_id_of(bundle->rootfs);
    if (!below) return below.error();
    plan.hook_state.rootfs_mount_below = *below;
  }

  sigemptyset(&plan.exec_sigmask);
  if (blocked != nullptr) plan.exec_sigmask = blocked->emplace(forwarded_signals()).saved();
  auto dir = StateDir::create(*where);
  if (!dir) return dir.error();
  // Before the container owns anything: what it will own, and who is making it. However this
  // process ends from here on, `delete` finds everything by this state (issue 11, item 5).
  spec::State state = plan.hook_state;
  state.status = ContainerStatus::creating;
  state.cgroup_paths = cgroups->paths;
  state.cgroup_driver = driver.name();
  state.late_hooks.emplace();
  state.late_hooks->poststart = hooks_of(config, HookKind::poststart);
  state.late_hooks->poststop = hooks_of(config, HookKind::poststop);
  state.creator_pid = getpid();
  state.creator_start_time = process_start_time(state.creator_pid);
  MR_TRY(dir->write(state));
  sys::Fd dir_fd, fifo_fd;
  if (!at_once) {
    dir_fd.reset(open(dir->path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd) return sys::Error::from_errno("state", "open " + dir->path());
    // 0622: a non-root init must be able to open it for writing.
    MR_TRY(sys::make_fifo_at(dir_fd.get(), kExecFifo, 0622, "state"));
    fifo_fd.reset(openat(dir_fd.get(), kExecFifo, O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!fifo_fd) return sys::Error::from_errno("state", "open " + dir->path() + "/" + kExecFifo);
    plan.exec_fifo_fd = fifo_fd.get();
  }

  if (auto made = traced("cgroups", "create", [&] { return driver.create(*cgroups); }); !made)
    return made.error();
  sys::Fd clone_target = driver.clone_target(*cgroups);
  plan.cgroup_fd = clone_target.get();
  auto init = traced("clone", "into new namespaces", [&] {
    return spawn_init(plan, [&](pid_t pid, bool cloned_into_cgroup) {
      return driver.join_init(*cgroups, pid, cloned_into_cgroup);
    });
  });
  if (!init) {
    (void)driver.destroy(cgroups->paths);
    (void)release_rootfs_mounts(plan.hook_state);
    return init.error();
  }
  // The made state, written once init is ready: no creator any more.
  state.status = at_once ? ContainerStatus::running : ContainerStatus::created;
  state.pid = init->pid;
  state.init_start_time = process_start_time(init->pid);
  state.creator_pid = 0;
  state.creator_start_time = 0;
  state.config = std::move(bundle->config_text);
  Created created{std::move(*bundle), std::move(*dir), std::move(*init), {},
                  std::move(state),   at_once};

  auto ready = [&]() -> sys::Status {
    const auto& process = *created.bundle.config.process;
    if (process.oomScoreAdj) MR_TRY(set_oom_score_adj(created.init.pid, *process.oomScoreAdj));
    auto create_runtime_hooks = [&]() -> sys::Status {
      for (HookKind kind : {HookKind::prestart, HookKind::createRuntime})
        MR_TRY(run_hooks(created.bundle.config, kind, created.state));
      return {};
    };
    MR_TRY(traced("init ready", "", [&] {
      return await_ready(created.init, &created.console, create_runtime_hooks);
    }));
    MR_TRY(created.dir.write(created.state));
    if (!options.pid_file.empty())
      MR_TRY(
          sys::write_file_atomic(options.pid_file, std::to_string(created.init.pid), "pid-file"));
    return {};
  }();
  if (!ready) {
    discard(created);
    if (!options.pid_file.empty()) unlink(options.pid_file.c_str());
    return ready.error();
  }
  return created;
}

void run_late_hooks(const std::vector<spec::Hook>& hooks, HookKind kind, const spec::State& state) {
  if (!hooks.empty()) run_hooks_warn_only(hooks, kind, hook_state_json(state, kind));
}

// The hooks state.late_hooks kept at create. A state.json from before they were kept sends us
// to the bundle's config.json (nothing runs if it is gone or broken).
void run_late_hooks(HookKind kind, const spec::State& state) {
  if (state.late_hooks) {
    const auto& kept = state.late_hooks;
    run_late_hooks(kind == HookKind::poststart ? kept->poststart : kept->poststop, kind, state);
    return;
  }
  try {
    run_late_hooks(hooks_of(spec::load_config(state.bundle + "/config.json"), kind), kind, state);
  } catch (const spec::ConfigError&) {
  }
}

}  // namespace

sys::Status create_container(const CreateOptions& options) {
  auto created = create(options, nullptr, StartMode::on_start);
  if (!created) return created.error();
  if (created->console.valid()) {
    if (auto sent = hand_over_console(*created, options.console_socket); !sent) {
      discard(*created);
      return sent.error();
    }
  }
  created->dir.keep();
  return {};
}

sys::Status start_container(Container& container) {
  spec::State& state = container.state();
  if (state.status == ContainerStatus::stopped)
    return sys::Error::plain("", "cannot start a container that has stopped");
  if (state.status == ContainerStatus::creating) return being_created(container.id());
  if (state.status != ContainerStatus::created)
    return sys::Error::plain("", "cannot start an already running container");
  MR_TRY(release_init(container.dir().path(), state.pid));
  state.status = ContainerStatus::running;
  MR_TRY(container.save());
  run_late_hooks(HookKind::poststart, state);
  return {};
}

sys::Result<int> run_container(const RunOptions& options) {
  std::optional<BlockedSignals> blocked;  // from the first thing create() makes on
  auto created = create(options, &blocked, StartMode::at_once_unless_terminal);
  if (!created) return created.error();
  if (created->console.valid() && options.detach) {
    if (auto sent = hand_over_console(*created, options.console_socket); !sent) {
      discard(*created);
      return sent.error();
    }
  }
  // The user's window size before the process starts: supervise() copies it too, but only once
  // the process may already have asked (runc has that race: `stty size` can show either).
  if (created->console.valid() && !options.detach)
    copy_window_size(STDIN_FILENO, created->console.get());
  auto started = created->started_at_once ? sys::Status{}
                                          : release_init(created->dir.path(), created->init.pid);
  if (started) {
    started = await_exec(created->init);
  } else {
    // Init's own report, if it sent one before dying, says more than "not running".
    kill_and_reap(created->init.pid);
    if (auto reported = await_exec(created->init); !reported) started = reported;
  }
  if (!started) {
    discard(*created);
    return started.error();
  }
  if (!created->started_at_once) {
    created->state.status = ContainerStatus::running;
    if (auto written = created->dir.write(created->state); !written) {
      discard(*created);
      return written.error();
    }
  }
  created->init.sync.reset();
  run_late_hooks(HookKind::poststart, created->state);
  if (options.detach) {
    created->dir.keep();
    return 0;
  }
  auto code = traced("container process", "ran and exited",
                     [&] { return supervise(created->init.pid, created->console); });
  if (!code) kill_and_reap(created->init.pid);
  release_cgroups(created->state);
  (void)release_rootfs_mounts(created->state);
  // The foreground run deletes the container, so poststop follows once it is gone.
  created->dir.keep();
  remove_state_dir(created->dir.path());
  created->state.pid = 0;
  run_late_hooks(HookKind::poststop, created->state);
  return code;
}

sys::Status for_each_container(const std::string& root,
                               const std::function<void(const spec::State&)>& visit) {
  DIR* dir = opendir(root.c_str());
  // No root yet is no container, as runc's list has it; another user's private root is an
  // error, not an empty list.
  if (dir == nullptr)
    return errno == ENOENT ? sys::Status{} : sys::Error::from_errno("", "open " + root);
  // Sorted by ID, which is the directory's name: the names are sorted, not the states.
  std::vector<std::string> ids;
  while (struct dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") ids.push_back(std::move(name));
  }
  std::sort(ids.begin(), ids.end());
  auto names = user_names();
  for (const auto& id : ids) {
    // A name that is no valid ID is no container of ours.
    auto container = Container::open(root, id, Access::read);
    if (!container) continue;
    spec::State& state = container->state();
    // `list` shows who owns each state directory, as runc does. One deleted since its
    // state.json was read is skipped, not shown without an owner.
    struct stat st {};
    if (fstatat(dirfd(dir), id.c_str(), &st, 0) < 0) continue;
    auto known = names.find(st.st_uid);
    state.owner = known != names.end() ? known->second : "#" + std::to_string(st.st_uid);
    visit(state);
  }
  closedir(dir);
  return {};
}

sys::Status kill_container(const Container& container, int signal, bool all) {
  const spec::State* state = &container.state();
  if (state->status == ContainerStatus::stopped) {
    if (all) return {};
    return sys::Error::plain("", "container not running");
  }
  if (state->status == ContainerStatus::creating) return being_created(container.id());
  if (all && !state->cgroup_paths.empty())
    return cgroup_driver_of(*state).signal_all(state->cgroup_paths, signal);
  if (kill(state->pid, signal) < 0) {
    if (errno == ESRCH)
      return all ? sys::Status{} : sys::Status{sys::Error::plain("", "container not running")};
    return sys::Error::from_errno("kill", "kill " + std::to_string(state->pid));
  }
  return {};
}

sys::Status delete_container(const ContainerDir& dir, bool force) {
  auto container = Container::open(dir, Access::change);
  if (!container) {
    // A half-made state dir (no state.json) is removed; --force makes a missing one success.
    if (dir.exists()) {
      StateLock lock(dir.path());
      remove_state_dir(dir.path());
      return {};
    }
    if (force) return {};
    return container.error();
  }
  spec::State* state = &container->state();
  const std::string& id = dir.id();
  const auto& status = state->status;
  if ((status == ContainerStatus::running || status == ContainerStatus::paused ||
       status == ContainerStatus::creating) &&
      !force)
    return sys::Error::plain("", "cannot delete container " + id + " that is not stopped: " +
                                     std::string(spec::to_string(status)));
  // A creation still under way ends first: once its creator is gone, what it made is all in
  // state.json, as after a crash.
  if (status == ContainerStatus::creating) {
    kill(state->creator_pid, SIGKILL);
    if (!wait_for_exit(state->creator_pid, 10000))
      return sys::Error::plain(
          "delete", "container creator " + std::to_string(state->creator_pid) + " did not die");
  } else if (status != ContainerStatus::stopped) {
    kill(state->pid, SIGKILL);
    if (state->status == ContainerStatus::paused)
      (void)cgroup_driver_of(*state).thaw(state->cgroup_paths);
    if (!wait_for_exit(state->pid, 10000))
      return sys::Error::plain("delete",
                               "container init " + std::to_string(state->pid) + " did not die");
  }
  if (!state->cgroup_paths.empty()) {
    const CgroupDriver& cgroups = cgroup_driver_of(*state);
    // Without its own pid namespace the container's other processes outlive init. An
    // unfinished creation's init may be in some hierarchies only, or only be waiting for start.
    if (state->creator_pid != 0)
      (void)cgroups.signal_all_unfinished(state->cgroup_paths, SIGKILL);
    else
      (void)cgroups.signal_all(state->cgroup_paths, SIGKILL);
    MR_TRY(cgroups.destroy(state->cgroup_paths));
  }
  MR_TRY(release_rootfs_mounts(*state));
  remove_state_dir(dir.path());
  state->pid = 0;
  run_late_hooks(HookKind::poststop, *state);
  return {};
}

}  // namespace minirun::runtime
