// The container state as runc prints it (`runc state`) and as minirun stores it in
// <root>/<id>/state.json, plus the JSON log line format engines parse.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.hpp"
#include "spec/container_status.hpp"

namespace minirun::spec {

struct State {
  std::string ociVersion;
  std::string id;
  pid_t pid = 0;
  ContainerStatus status = ContainerStatus::creating;
  std::string bundle;
  std::string rootfs;
  std::string created;  // RFC 3339, nanoseconds
  std::string owner;
  std::map<std::string, std::string> annotations;
  // minirun's own bookkeeping, not printed by `state`:
  uint64_t init_start_time = 0;  // /proc/<pid>/stat field 22, to tell a reused pid apart
  // The container's cgroup directories: controller ("memory", "name=systemd", "unified" for
  // the cgroup2 hierarchy) -> absolute path. Later commands find the cgroups here.
  std::map<std::string, std::string> cgroup_paths;
  // The cgroup driver that made the container ("none" for a rootless one without cgroups);
  // empty in a state.json that predates the field, whose container cgroupfs made.
  std::string cgroup_driver;
  // The config's poststart and poststop hooks as they were at create: start and delete run
  // these, as runc runs the ones of the config it saved, whatever the bundle holds by then.
  // nullopt when state.json predates them (the bundle's config.json is read instead).
  std::optional<Hooks> late_hooks;
  // Set when the container has no mount namespace of its own, so init's mounts are in the
  // caller's mount table, stacked on the rootfs path: the mount ID found at that path before
  // create. delete (and the end of a foreground run) detaches every mount above it there.
  std::optional<uint64_t> rootfs_mount_below;
  // The linux.resources in force once `update` has changed them: the config's, merged with
  // each update (merge_resources). nullopt until the first update: the config's are in force.
  // Later commands take them from here, never from `config`, which stays as create ran it.
  std::optional<Resources> resources;
  // config.json as create read and ran it: exec takes the container's process, seccomp
  // profile and personality from here, never from the bundle again, which the container may
  // have rewritten since. Empty when state.json predates it.
  std::string config;
  // While `create` or `run` is still making the container (stored status "creating", written
  // before anything else exists): that minirun's pid and /proc start time. Once its creator is
  // gone, a container still "creating" was interrupted: it is stopped, and delete removes what
  // this state names. Both 0 once the container is made.
  pid_t creator_pid = 0;
  uint64_t creator_start_time = 0;
};

// What `state` prints: runc's field order and indentation.
std::string state_to_json(const State& state);
// The same fields on one line: what hooks read on stdin (runc sends compact JSON too), and
// each element of `list --format json`'s array.
std::string state_to_compact_json(const State& state);
// What state.json holds: the printed fields plus the bookkeeping.
std::string state_to_stored_json(const State& state);
// Throws std::runtime_error on a damaged file.
State state_from_stored_json(const std::string& text);

// {"level":"error","msg":"...","time":"..."} as logrus writes it for runc.
std::string json_log_line(const std::string& level, const std::string& msg,
                          const std::string& time);

// A --debug step as a JSON log line: level "debug", msg "<step> <detail>", plus step, us, pid.
std::string json_trace_line(const std::string& step, const std::string& detail, long micros,
                            int pid, const std::string& time);

}  // namespace minirun::spec
