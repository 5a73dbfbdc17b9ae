#!/bin/bash
# podman 4.3 + conmon driving the built minirun (`podman --runtime MINIRUN`), rootful, with
# storage, runroot and tmpdir in a scratch dir, cgroupfs and file events (no systemd here).
#
# podman passes no global flags to the runtime, so minirun keeps its state in its default root
# (/run/minirun); the test checks its containers' entries are gone there at the end.
TEST_NAME=podman
source "$(dirname "$0")/lib.sh"

require_root_and podman conmon script
make_scratch
make_busybox_rootfs "$T/rootfs"
mkdir -p "$T"/{root,runroot,tmp}

# This VM has no CAP_SYS_RESOURCE: podman's default NOFILE/NPROC limits (1048576) are above the
# hard limits and cannot be set, so ask for modest ones (lowering is always allowed).
P=(podman --root "$T/root" --runroot "$T/runroot" --tmpdir "$T/tmp" --storage-driver vfs
  --cgroup-manager cgroupfs --events-backend file --runtime "$MINIRUN")
RUN_OPTS=(--network none --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --rootfs "$T/rootfs")
minirun_state_root=/run/minirun

# Remove whatever containers are left, so conmon and the cleanup processes end before $T goes.
stop_podman_containers() {
  "${P[@]}" rm --force --all --time 0 >/dev/null 2>&1
  wait_until 20 test -z "$(pids_in_scratch)"
}
pids_in_scratch() {
  local p
  for p in /proc/[0-9]*; do
    case "$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" in *"$T"*) echo "${p#/proc/}" ;; esac
  done
}
own_cgroup_parent libpod_parent  # podman's cgroupfs parent: /libpod_parent/libpod-<id>
on_exit stop_podman_containers

container_ids=()
track() { container_ids+=("$("${P[@]}" inspect --format '{{.Id}}' "$1" 2>/dev/null)"); }
state() { "${P[@]}" inspect --format "{{.State.$2}}" "$1" 2>/dev/null; }

# --- one-shot run: stdout, stderr, exit code --------------------------------------------------
out=$("${P[@]}" run --rm "${RUN_OPTS[@]}" sh -c 'echo to-out; echo to-err >&2; exit 3' 2>"$T/err")
expect_eq run-exit-code-3 3 $?
expect_eq run-stdout to-out "$out"
expect_eq run-stderr to-err "$(cat "$T/err")"

out=$("${P[@]}" run --rm "${RUN_OPTS[@]}" sh -c 'ls /proc/$$/fd; true' 2>&1)
expect_eq init-fds-only-stdio "0 1 2" "$(echo $out)"

# podman's spec: hostname set, a seccomp profile, /etc/hosts bind-mounted from the userdata.
out=$("${P[@]}" run --rm --hostname mr-podman "${RUN_OPTS[@]}" sh -c \
  'hostname; grep -c Seccomp:.2 /proc/self/status; test -f /etc/hosts && echo hosts' 2>&1)
expect_eq run-podman-spec "mr-podman 1 hosts" "$(echo $out)"

# A missing binary: podman maps the runtime's "no such file or directory" to 127.
out=$("${P[@]}" run --rm "${RUN_OPTS[@]}" /nonexistent-binary 2>&1)
expect_eq run-missing-binary-127 127 $?
expect_contains run-missing-binary-message "/nonexistent-binary" "$out"

# --- -t: the pty master reaches conmon over --console-socket ----------------------------------
out=$(script -qec "${P[*]} run --rm -t ${RUN_OPTS[*]} sh -c 'tty; exit 4'" /dev/null </dev/null)
expect_eq run-tty-exit-code 4 $?
expect_contains run-tty-is-pts "/dev/pts/0" "$out"

# --- detached container: exec, stop (SIGTERM), rm -------------------------------------------
"${P[@]}" run -d --name pd1 "${RUN_OPTS[@]}" \
  sh -c 'trap "exit 7" TERM; while true; do sleep 0.1; done' >/dev/null 2>"$T/err"
expect_eq run-detached 0 $?
track pd1
expect_eq detached-running running "$(state pd1 Status)"

if minirun_has exec; then
  # conmon relays stdout and stderr as two streams; their interleaving is not
  # ordered, so check each on its own.
  out=$("${P[@]}" exec pd1 sh -c 'echo exec-out; echo exec-err >&2; exit 5' 2>"$T/exec-err")
  expect_eq exec-exit-code 5 $?
  expect_eq exec-stdout "exec-out" "$out"
  expect_eq exec-stderr "exec-err" "$(cat "$T/exec-err")"
  out=$("${P[@]}" exec pd1 sh -c 'cat /proc/1/cmdline | tr "\0" " "' 2>&1)
  expect_contains exec-same-pidns trap "$out"
else
  skip exec "minirun has no 'exec' verb in this build (branch exec not merged)"
fi

if minirun_has pause && minirun_has resume; then
  "${P[@]}" pause pd1 >/dev/null 2>&1
  expect_eq pause paused "$(state pd1 Status)"
  "${P[@]}" unpause pd1 >/dev/null 2>&1
  expect_eq unpause running "$(state pd1 Status)"
else
  skip pause-unpause "minirun has no 'pause'/'resume' verbs in this build (branch cgroups not merged)"
fi

"${P[@]}" stop -t 10 pd1 >/dev/null 2>"$T/err"
expect_eq stop 0 $?
expect_eq stop-exit-code-from-trap 7 "$(state pd1 ExitCode)"
"${P[@]}" rm pd1 >/dev/null 2>"$T/err"
expect_eq rm 0 $?

# --- kill (SIGKILL through `minirun kill <id> 9`) and rm -f of a running container -----------
"${P[@]}" run -d --name pd2 "${RUN_OPTS[@]}" sleep 1000 >/dev/null 2>&1
track pd2
"${P[@]}" kill pd2 >/dev/null 2>"$T/err"
expect_eq kill 0 $?
wait_until 10 test "$(state pd2 Status)" = exited
expect_eq kill-exit-code-137 137 "$(state pd2 ExitCode)"
"${P[@]}" rm pd2 >/dev/null 2>&1

"${P[@]}" run -d --name pd3 "${RUN_OPTS[@]}" sleep 1000 >/dev/null 2>&1
track pd3
"${P[@]}" rm --force --time 1 pd3 >/dev/null 2>"$T/err"
expect_eq rm-force-running 0 $?

# --- nothing left ------------------------------------------------------------------------------
leftovers() {
  local id
  for id in "${container_ids[@]}"; do
    [ -n "$id" ] && [ -e "$minirun_state_root/$id" ] && echo "minirun state: $id"
  done
  mounts_under "$T" | sed 's/^/mount: /'
  leftover_processes "$T" | sed 's/^/process: /'
  cgroups_left | sed 's/^/cgroup: /'
}
wait_until 10 test -z "$(leftovers)"
expect_eq nothing-left "" "$(leftovers)"

finish
