#!/bin/bash
# containerd 1.6 + ctr + containerd-shim-runc-v2 driving the built minirun, as `runc` would be
# driven: `ctr run --runc-binary MINIRUN` on a private containerd with an offline busybox image.
TEST_NAME=ctr
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd.sh"

require_root_and containerd ctr containerd-shim-runc-v2 "$PYTHON" script
make_scratch
own_cgroup_parent "$CTRD_NS"  # the containers' cgroups are /<namespace>/<id>
start_containerd || skip_all "containerd failed to start"
import_image "$BUSYBOX_IMAGE" /bin/sh || {
  fail image-import "ctr images import failed"
  finish
}

# Every ctr run uses minirun through the v2 shim; --runc-root and --fifo-dir keep minirun's
# state and the stdio FIFOs inside the scratch dir.
RUN=(ctr run --runtime io.containerd.runc.v2 --runc-binary "$MINIRUN"
  --runc-root "$T/minirun-root" --fifo-dir "$T/fifo")

task_status() { ctr task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
task_pid() { ctr task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $2 }'; }

# --- one-shot runs: stdout and stderr apart, the exit code from the container ---------------
out=$("${RUN[@]}" --rm "$BUSYBOX_IMAGE" oneshot sh -c 'echo to-out; echo to-err >&2; exit 7' \
  2>"$T/err")
rc=$?
expect_eq run-exit-code-7 7 "$rc"
expect_eq run-stdout to-out "$out"
expect_eq run-stderr to-err "$(cat "$T/err")"

out=$("${RUN[@]}" --rm "$BUSYBOX_IMAGE" zero sh -c 'hostname; true' 2>&1)
expect_eq run-exit-code-0 0 $?

# The shim hands create its own listening socket as fd 3; the container must not get it.
# (`ls` is not the last command, so it is a child and lists the shell's fds, not its own.)
out=$("${RUN[@]}" --rm "$BUSYBOX_IMAGE" fds sh -c 'ls /proc/$$/fd; true' 2>&1)
expect_eq init-fds-only-stdio "0 1 2" "$(echo $out)"

# The image's env (PATH) and the default mounts arrive: /proc, /dev/null, a private netns with lo.
out=$("${RUN[@]}" --rm "$BUSYBOX_IMAGE" env sh -c \
  'echo $PATH; test -c /dev/null && echo devnull; ip -o link | cut -d" " -f2 | tr "\n" " "' 2>&1)
expect_eq image-env-and-devices "/bin:/sbin:/usr/bin:/usr/sbin devnull lo:" "$(echo $out)"

# --- a create failure: minirun's log.json error line is what ctr shows ------------------------
out=$("${RUN[@]}" --rm "$BUSYBOX_IMAGE" badexec /nonexistent-binary 2>&1)
rc=$?
if [ $rc -ne 0 ]; then pass create-failure-exit-code; else fail create-failure-exit-code "rc 0"; fi
expect_contains create-failure-from-log-json "OCI runtime create failed" "$out"
expect_contains create-failure-names-binary "/nonexistent-binary" "$out"
case "$out" in
*"unable to retrieve OCI runtime error"*) fail create-failure-log-json-readable "$out" ;;
*) pass create-failure-log-json-readable ;;
esac
ctr containers delete badexec >/dev/null 2>&1

# --- a long-running task: ps, exec, pause/resume, kill ----------------------------------------
# `ctr run` in the foreground (in the background of this script) so its exit code is the task's.
"${RUN[@]}" --rm "$BUSYBOX_IMAGE" long sh -c 'trap "exit 7" TERM; while true; do sleep 0.1; done' \
  </dev/null >"$T/long.out" 2>&1 &
long_ctr=$!
wait_until 20 test "$(task_status long)" = RUNNING
expect_eq long-running RUNNING "$(task_status long)"
init_pid=$(task_pid long)

if minirun_has ps; then
  ps_pids=$(ctr task ps long 2>&1 | awk 'NR > 1 { print $1 }')
  expect_contains task-ps-lists-init "$init_pid" "$ps_pids"
else
  skip task-ps "minirun has no 'ps' verb in this build (branch cgroups not merged)"
fi

if minirun_has exec; then
  # ctr copies stdout and stderr through two FIFOs in two goroutines, so their
  # interleaving is not ordered: check each stream on its own.
  out=$(ctr task exec --exec-id e1 long sh -c 'echo exec-out; echo exec-err >&2; exit 5' 2>"$T/exec-err")
  expect_eq task-exec-exit-code 5 $?
  expect_eq task-exec-stdout "exec-out" "$out"
  expect_eq task-exec-stderr "exec-err" "$(cat "$T/exec-err")"
  # The exec'd process shares the init's pid namespace: it sees the init as pid 1.
  out=$(ctr task exec --exec-id e2 long sh -c 'cat /proc/1/cmdline | tr "\0" " "' 2>&1)
  expect_contains task-exec-same-pidns "trap" "$out"
  out=$(script -qec "ctr task exec -t --exec-id e3 long sh -c 'tty; exit 6'" /dev/null </dev/null)
  expect_eq task-exec-tty-exit-code 6 $?
  expect_contains task-exec-tty "/dev/pts/" "$out"
else
  skip task-exec "minirun has no 'exec' verb in this build (branch exec not merged)"
fi

if minirun_has pause && minirun_has resume; then
  ctr task pause long 2>"$T/err"
  expect_eq task-pause PAUSED "$(task_status long)"
  ctr task resume long 2>"$T/err"
  expect_eq task-resume RUNNING "$(task_status long)"
else
  skip task-pause-resume "minirun has no 'pause'/'resume' verbs in this build (branch cgroups not merged)"
fi

ctr task kill long 2>"$T/err"
expect_eq task-kill-sigterm 0 $?
wait $long_ctr
expect_eq task-exit-code-from-sigterm-trap 7 $?
ctr containers delete long >/dev/null 2>&1

# SIGKILL by number through `kill <id> 9`: the exit code the shim reaps is 128+9.
"${RUN[@]}" -d "$BUSYBOX_IMAGE" victim sleep 1000 >/dev/null 2>&1
wait_until 10 test "$(task_status victim)" = RUNNING
ctr task kill -s SIGKILL victim 2>"$T/err"
wait_until 10 test "$(task_status victim)" = STOPPED
expect_eq task-kill-sigkill STOPPED "$(task_status victim)"
ctr task delete victim >/dev/null 2>&1
ctr containers delete victim >/dev/null 2>&1

# --- delete --force of a running task (kill --all 9, delete, delete --force) ------------------
"${RUN[@]}" -d "$BUSYBOX_IMAGE" forced sh -c 'sleep 1000 & sleep 1000' >/dev/null 2>&1
wait_until 10 test "$(task_status forced)" = RUNNING
forced_pid=$(task_pid forced)
ctr task delete --force forced >/dev/null 2>"$T/err"
expect_eq task-delete-force-running 0 $?
if kill -0 "$forced_pid" 2>/dev/null; then
  fail task-delete-force-killed-init "pid $forced_pid still alive"
else
  pass task-delete-force-killed-init
fi
ctr containers delete forced >/dev/null 2>&1

# --- -t: minirun sends the pty master over the shim's console socket --------------------------
out=$(script -qec "${RUN[*]} --rm -t $BUSYBOX_IMAGE tty1 sh -c 'tty; exit 4'" /dev/null </dev/null)
expect_eq run-tty-exit-code 4 $?
expect_contains run-tty-is-pts "/dev/pts/0" "$out"

# --- nothing left behind ---------------------------------------------------------------------
wait_until 5 test -z "$(ctrd_leftovers)"
left=$(ctrd_leftovers)
expect_eq nothing-left "" "$left"

finish
