# shellcheck shell=bash
# Shared helpers for the engine tests (sourced, not run).
#
# Each test script gets a private scratch dir ($T), a results tally and a trap that tears down
# everything the script started. Checks are plain shell: `check NAME CMD...` runs CMD and records
# PASS/FAIL; `skip NAME WHY` records a skip with its reason. `finish` prints the summary and sets
# the exit code (77 = everything skipped, so ctest reports "Not Run" instead of a pass).

set -uo pipefail

ENGINES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MINIRUN=${MINIRUN:?set MINIRUN to the built minirun binary}
MINIRUN=$(readlink -f "$MINIRUN")
# Debian's interpreter: python3-grpcio and python3-protobuf are installed for it, not for
# whatever python3 comes first in PATH (pyenv, venvs).
PYTHON=${PYTHON:-/usr/bin/python3}

passes=0
fails=0
skips=0
failed_names=()
cleanup_steps=()

log() { printf '%s [%s] %s\n' "$(date +%T.%3N)" "${TEST_NAME:-engines}" "$*" >&2; }

# Runs at exit in reverse order of registration, so later resources go first.
on_exit() { cleanup_steps=("$*" "${cleanup_steps[@]}"); }
run_cleanup() {
  local step
  for step in "${cleanup_steps[@]}"; do
    eval "$step" || log "cleanup step failed: $step"
  done
}
trap run_cleanup EXIT
trap 'exit 130' INT TERM

pass() {
  passes=$((passes + 1))
  printf 'PASS %s\n' "$1"
}
fail() {
  fails=$((fails + 1))
  failed_names+=("$1")
  printf 'FAIL %s: %s\n' "$1" "$2"
}
skip() {
  skips=$((skips + 1))
  printf 'SKIP %s: %s\n' "$1" "$2"
}

# expect_eq NAME WANT GOT
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want [$2], got [$3]"; fi
}
# expect_contains NAME NEEDLE HAYSTACK
expect_contains() {
  case "$3" in
  *"$2"*) pass "$1" ;;
  *) fail "$1" "[$2] not in [$3]" ;;
  esac
}

finish() {
  printf '\n%s: %d passed, %d failed, %d skipped\n' "${TEST_NAME:-engines}" "$passes" "$fails" "$skips"
  if [ "$fails" -gt 0 ]; then
    printf 'failed: %s\n' "${failed_names[*]}"
    exit 1
  fi
  [ "$passes" -gt 0 ] || exit 77
  exit 0
}

# Whole-suite skip (missing engine, not root): ctest shows it as skipped via SKIP_RETURN_CODE.
skip_all() {
  printf 'SKIP %s: %s\n' "${TEST_NAME:-engines}" "$*"
  exit 77
}

require_root_and() {
  [ "$(id -u)" = 0 ] || skip_all "needs root"
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || skip_all "$tool not installed (apt-get install the engines packages)"
  done
}

# A scratch dir for the whole run. Not under /tmp/runc-*, /run/containerd, which engines share.
make_scratch() {
  T=$(mktemp -d "/tmp/minirun-${TEST_NAME:-engines}.XXXXXX")
  on_exit "remove_scratch"
}
remove_scratch() {
  # Never rm across a mount point that is still there: unmount ours first, deepest first.
  local m
  for m in $(awk -v t="$T" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount -l "$m" 2>/dev/null
  done
  rm -rf "$T"
}

# Mount points under the scratch dir (should be none once all containers are gone).
mounts_under() { awk -v t="$1" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo; }

# A cgroup parent the engine names (containerd's namespace, podman's libpod_parent): the
# runtime makes it on the way to each container's cgroup and, like runc, leaves it there.
# cgroup_dirs NAME: NAME's directory in every mounted hierarchy (v1 controllers, cgroup2).
cgroup_dirs() {
  local h
  for h in /sys/fs/cgroup /sys/fs/cgroup/*; do
    [ -L "$h" ] || [ ! -d "$h/$1" ] || echo "$h/$1"
  done
}

# own_cgroup_parent NAME: when NAME does not exist yet, it is this test's: its empty
# directories are removed at exit, and cgroups_left lists what is still below it.
OWN_CGROUP_PARENTS=()
own_cgroup_parent() {
  [ -z "$(cgroup_dirs "$1")" ] || return 0
  OWN_CGROUP_PARENTS+=("$1")
  on_exit remove_cgroup_parent "$1"
}
remove_cgroup_parent() {
  local d
  for d in $(cgroup_dirs "$1"); do find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done
}

# Container cgroups still below the parents this test owns (none once every container is
# gone). conmon puts itself in <parent>/conmon and never removes it: that one is not a leak.
cgroups_left() {
  local p d
  for p in ${OWN_CGROUP_PARENTS[@]+"${OWN_CGROUP_PARENTS[@]}"}; do
    for d in $(cgroup_dirs "$p"); do find "$d" -mindepth 1 -type d ! -name conmon; done
  done
}

# Live processes that are minirun itself, or that run inside a root under DIR (containers).
leftover_processes() {
  local p exe root
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    root=$(readlink "$p/root" 2>/dev/null) || continue
    if [ "$exe" = "$MINIRUN" ] || [ "${root#"$1"}" != "$root" ]; then
      echo "${p#/proc/} $(tr '\0' ' ' 2>/dev/null <"$p/cmdline")"
    fi
  done
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

# The busybox rootfs as a directory (for `ctr run --rootfs` and `podman --rootfs`).
make_busybox_rootfs() {
  local r=$1 a
  mkdir -p "$r"/{bin,proc,sys,dev,etc,tmp,root,run,var}
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
  echo 'root:x:0:' >"$r/etc/group"
  chmod 1777 "$r/tmp"
}

# Whether minirun implements a verb (other branches add exec, pause, ...).
# One look at the global --help, which lists every verb ("  run  ...", "  list, ls  ...").
minirun_has() {
  # Not a pipe into grep -q: with pipefail, an early grep exit fails the pipeline (SIGPIPE).
  local help
  help=$("$MINIRUN" --help 2>/dev/null)
  grep -qE "^ +$1(,| |\$)" <<<"$help"
}
