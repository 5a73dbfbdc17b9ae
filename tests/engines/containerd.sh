# shellcheck shell=bash
# A private containerd for one test script (sourced after lib.sh).
#
# Everything containerd owns lives under $T/ctrd: root, state, socket, opt dir, config, log,
# and minirun's own --root. What containerd 1.6 always puts outside (shim sockets in
# /run/containerd/s, ctr's FIFOs unless --fifo-dir) is keyed by our unique namespace, so a
# concurrent containerd on the host is never touched.

CTRD_NS=minirun-$$
BUSYBOX_IMAGE=localhost/minirun-busybox:latest
PAUSE_IMAGE=localhost/minirun-pause:latest

# write_containerd_config [--cri]: without --cri the CRI plugin is disabled (faster start,
# nothing Kubernetes-shaped on the host).
write_containerd_config() {
  local D=$T/ctrd cri_disabled='"io.containerd.grpc.v1.cri",'
  [ "${1:-}" = --cri ] && cri_disabled=
  mkdir -p "$D"/{root,state,opt,cni-net.d,cni-data,pod-logs} "$T/minirun-root"
  cat >"$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = [$cri_disabled
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$D/containerd.sock"
[ttrpc]
  address = "$D/containerd.sock.ttrpc"
[debug]
  level = "info"
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$D/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    disable_tcp_service = true
    # The sandbox asks oom_score_adj -998; without CAP_SYS_RESOURCE only raising is allowed.
    restrict_oom_score_adj = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    sandbox_image = "$PAUSE_IMAGE"
    # Pod network namespaces under our state dir instead of /var/run/netns.
    netns_mounts_under_state_dir = true
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$D/cni-net.d"
      max_conf_num = 1
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "native"
      default_runtime_name = "minirun"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.minirun]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.minirun.options]
          BinaryName = "$MINIRUN"
          Root = "$T/minirun-root"
          SystemdCgroup = false
EOF
}

# start_containerd [--cri]: config, daemon in the background, wait for the socket.
start_containerd() {
  write_containerd_config "$@"
  start_containerd_with_config
}

# Starts the daemon on an already written config. CTRD_ENTER (an array, e.g. `unshare --net`)
# is prepended to its command line.
start_containerd_with_config() {
  local D=$T/ctrd
  ${CTRD_ENTER[@]+"${CTRD_ENTER[@]}"} containerd --config "$D/config.toml" >"$D/containerd.log" 2>&1 &
  CTRD_PID=$!
  on_exit stop_containerd
  export CONTAINERD_ADDRESS=$D/containerd.sock CONTAINERD_NAMESPACE=$CTRD_NS
  if ! wait_until 30 ctr version >/dev/null 2>&1; then
    log "containerd did not come up; its log:"
    tail -20 "$D/containerd.log" >&2
    return 1
  fi
}

# Remove whatever containers/tasks are left in our namespace, then stop the daemon by pid.
stop_containerd() {
  [ -n "${CTRD_PID:-}" ] || return 0
  local c
  for c in $(ctr containers ls -q 2>/dev/null); do
    ctr task delete --force "$c" >/dev/null 2>&1
    ctr containers delete "$c" >/dev/null 2>&1
  done
  kill -TERM "$CTRD_PID" 2>/dev/null
  wait_until 10 eval '! kill -0 "$CTRD_PID" 2>/dev/null' || kill -KILL "$CTRD_PID" 2>/dev/null
  wait "$CTRD_PID" 2>/dev/null
  CTRD_PID=
  if [ -n "${KEEP_LOGS:-}" ]; then cp "$T/ctrd/containerd.log" "$KEEP_LOGS"; fi
}

# import_image NAME [CMD...]: build the offline busybox image and import it into our namespace.
import_image() {
  local ref=$1 tar
  shift
  tar=$T/$(echo "$ref" | tr '/:' '__').tar
  local cmd_args=() a
  for a in "$@"; do cmd_args+=(--cmd "$a"); done
  "$PYTHON" "$ENGINES_DIR/make_oci_image.py" "$tar" "$ref" "${cmd_args[@]}" 2>/dev/null &&
    ctr images import --snapshotter native "$tar" >/dev/null
}

# The pieces of our containerd that must be gone once every container is deleted.
ctrd_leftovers() {
  ls -A "$T/minirun-root/$CTRD_NS" 2>/dev/null | sed 's/^/minirun state: /'
  mounts_under "$T" | sed 's/^/mount: /'
  leftover_processes "$T" | sed 's/^/process: /'
  ls -A "$T/ctrd/state/io.containerd.runtime.v2.task/$CTRD_NS" 2>/dev/null | sed 's/^/task bundle: /'
  cgroups_left | sed 's/^/cgroup: /'
}
