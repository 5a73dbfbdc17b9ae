# Shared helpers for the labs; sourced by every NN-name/run.sh.
#
# Provides: MINIRUN (the binary), RUNC (empty when runc is missing), LAB_ROOTLESS (1 when run by
# an ordinary user), LAB_TMP (a temp dir removed on exit), lab_on_exit (cleanup stack, run in
# reverse order), lab_make_bundle, lab_edit_config, lab_run (one container under one runtime),
# lab_table (side-by-side columns).
#
# A lab that cannot run as an ordinary user sets LAB_ROOT_ONLY to the reason before sourcing
# this file; as a user it then stops with one line: "lab NN needs root: REASON".
set -eu
PATH=$PATH:/usr/sbin:/sbin  # ip, mount, nsenter when run from a minimal environment

LAB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_REPO=$(cd "$LAB_LIB_DIR/../.." && pwd)

# ---- who runs the lab ------------------------------------------------------------------------
# As root, the containers are the default ones. As an ordinary user (LAB_ROOTLESS=1) they are
# rootless: a user namespace maps the user to root inside, and each runtime's config comes from
# its own `spec --rootless`. Only the euid matters: that is what the kernel checks.
lab_check_user() {
  LAB_ROOTLESS=0
  [ "$(id -u)" -eq 0 ] && return 0
  if [ -n "${LAB_ROOT_ONLY:-}" ]; then
    local lab
    lab=$(basename "$(cd "$(dirname "$0")" && pwd)")
    echo "lab ${lab%%-*} needs root: $LAB_ROOT_ONLY" >&2
    exit 1
  fi
  LAB_ROOTLESS=1
}
lab_check_user

# ---- cleanup: every resource registers its undo step as soon as it exists --------------------
LAB_CLEANUP=()
lab_on_exit() { LAB_CLEANUP+=("$*"); }
lab_cleanup() {
  local i
  for ((i = ${#LAB_CLEANUP[@]} - 1; i >= 0; i--)); do
    eval "${LAB_CLEANUP[$i]}" >/dev/null 2>&1 || true
  done
  LAB_CLEANUP=()
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

# Under $TMPDIR when set: a test gives each lab a directory it removes even if the lab is killed.
LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/minirun-lab.XXXXXX")
lab_on_exit "rm -rf '$LAB_TMP'"

# ---- the runtimes ----------------------------------------------------------------------------
lab_find_minirun() {
  if [ -n "${MINIRUN:-}" ]; then
    echo "$MINIRUN"
  elif command -v minirun >/dev/null 2>&1; then
    command -v minirun
  elif [ -x "$LAB_REPO/build/minirun" ]; then
    echo "$LAB_REPO/build/minirun"
  else
    echo "minirun not found: set MINIRUN, put it on PATH, or build it in $LAB_REPO/build" >&2
    return 1
  fi
}
MINIRUN=$(lab_find_minirun)
MINIRUN=$(cd "$(dirname "$MINIRUN")" && pwd)/$(basename "$MINIRUN")

# LAB_NO_RUNC=1 pretends runc is missing (to test that path).
RUNC=""
if [ -n "${LAB_NO_RUNC:-}" ]; then
  :
elif [ -x /usr/sbin/runc ]; then
  RUNC=/usr/sbin/runc
elif command -v runc >/dev/null 2>&1; then
  RUNC=$(command -v runc)
fi
lab_say_runc() {
  if [ -n "$RUNC" ]; then
    echo "runc: $RUNC ($("$RUNC" --version | head -1))"
  else
    echo "runc is not installed: the runc column will say so (Debian: apt-get install runc)"
  fi
}

# State roots of our own, so the labs never touch containers that are not theirs.
LAB_STATE_MINIRUN=$LAB_TMP/state-minirun
LAB_STATE_RUNC=$LAB_TMP/state-runc

# runtime binary and its --root, by name
lab_runtime() {
  case "$1" in
    minirun) echo "$MINIRUN --root $LAB_STATE_MINIRUN" ;;
    runc) echo "$RUNC --root $LAB_STATE_RUNC" ;;
  esac
}

# ---- bundles ---------------------------------------------------------------------------------
# The system's python3 first: a version-manager shim in PATH can cost a few hundred ms a call.
LAB_PYTHON=$(command -v /usr/bin/python3 || command -v python3)

# lab_make_rootfs DIR: a busybox root filesystem. Each applet is a relative symlink to busybox:
# `busybox --install -s` would point them at the host's path of the binary (or need a chroot,
# which needs root), relative links work inside the container and for an ordinary user.
lab_make_rootfs() {
  local rootfs=$1
  mkdir -p "$rootfs/bin" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/etc" "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  # One python process instead of ~270 ln processes.
  "$LAB_PYTHON" -c '
import os, sys
for applet in sys.argv[2:]:
    if applet != "busybox":
        os.symlink("busybox", os.path.join(sys.argv[1], applet))' "$rootfs/bin" $(/bin/busybox --list)
}

# lab_make_bundle DIR: DIR/rootfs and a config.json from `minirun spec`, terminal off. As a user
# the configs are rootless ones, and runc gets a bundle of its own, DIR/runc (see lab_bundle).
lab_make_bundle() {
  local dir=$1
  lab_make_rootfs "$dir/rootfs"
  if [ "$LAB_ROOTLESS" = 1 ]; then
    (cd "$dir" && "$MINIRUN" spec --rootless)
    lab_make_runc_rootless_bundle "$dir"
  else
    (cd "$dir" && "$MINIRUN" spec)
  fi
  lab_edit_config "$dir" 'c["process"]["terminal"] = False'
}

# lab_make_runc_rootless_bundle DIR: DIR/runc/config.json from `runc spec --rootless`, on
# DIR/rootfs. runc's rootless config is not minirun's: it has no network namespace (so the
# container shares the host's), no cgroup namespace, and binds the host's /sys.
lab_make_runc_rootless_bundle() {
  local dir=$1
  [ -n "$RUNC" ] || return 0
  mkdir -p "$dir/runc"
  (cd "$dir/runc" && "$RUNC" spec --rootless)
  ROOTFS=$dir/rootfs lab_edit_config "$dir/runc" 'import os; c["root"]["path"] = os.environ["ROOTFS"]'
}

# lab_bundle RUNTIME DIR: the bundle directory to give that runtime: DIR, or DIR/runc for runc
# when the lab runs as a user.
lab_bundle() {
  if [ "$1" = runc ] && [ -f "$2/runc/config.json" ]; then
    echo "$2/runc"
  else
    echo "$2"
  fi
}

# lab_copy_configs FROM TO: FROM's config.json (and runc's own, if any) into TO.
lab_copy_configs() {
  mkdir -p "$2"
  cp "$1/config.json" "$2/config.json"
  if [ -f "$1/runc/config.json" ]; then
    mkdir -p "$2/runc"
    cp "$1/runc/config.json" "$2/runc/config.json"
  fi
}

# lab_edit_config DIR 'python statements on c' : edits DIR/config.json in place, and
# DIR/runc/config.json when runc has a bundle of its own, so both runtimes get the same edit.
lab_edit_config() {
  local config
  for config in "$1/config.json" "$1/runc/config.json"; do
    [ -f "$config" ] || continue
    "$LAB_PYTHON" - "$config" "$2" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
def ns(kind):
    """the namespace entry of that type, or None"""
    return next((n for n in c["linux"]["namespaces"] if n["type"] == kind), None)
def drop_ns(kind):
    c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != kind]
exec(code)
with open(path, "w") as f:
    json.dump(c, f, indent=2)
PY
  done
}

# lab_set_script DIR 'shell script' : the container runs it with sh -c.
lab_set_script() {
  SCRIPT=$2 lab_edit_config "$1" 'import os; c["process"]["args"] = ["sh", "-c", os.environ["SCRIPT"]]'
}

# ---- running ---------------------------------------------------------------------------------
# lab_run RUNTIME BUNDLE ID OUTFILE : runs in the foreground, stdout+stderr to OUTFILE; returns
# the exit status. With runc missing, writes a note and returns 0.
lab_run() {
  local runtime=$1 bundle=$2 id=$3 out=$4
  if [ "$runtime" = runc ] && [ -z "$RUNC" ]; then
    echo "(runc not installed)" >"$out"
    return 0
  fi
  local rc=0
  $(lab_runtime "$runtime") run -b "$(lab_bundle "$runtime" "$bundle")" "$id" </dev/null >"$out" 2>&1 ||
    rc=$?
  return $rc
}

# lab_run_detached RUNTIME BUNDLE ID OUTFILE : starts in the background (run -d); the container's
# stdout and stderr go to OUTFILE. Registers a forced delete.
lab_run_detached() {
  local runtime=$1 bundle=$2 id=$3 out=$4
  lab_on_exit "$(lab_runtime "$runtime") delete -f $id"
  $(lab_runtime "$runtime") run -d -b "$(lab_bundle "$runtime" "$bundle")" "$id" </dev/null >"$out" 2>&1
}

# lab_pid RUNTIME ID : the container's init pid from `state` (sed, not python: this is on the
# timed path of lab 06).
lab_pid() {
  $(lab_runtime "$1") state "$2" | tr -d '\n' | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p'
}

# lab_wait_for FILE TEXT [SECONDS] : until FILE contains TEXT.
lab_wait_for() {
  local i
  for ((i = 0; i < ${3:-5} * 20; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# Error lines without the runtime's decoration: runc 1.1 prints `ERRO[0000] msg`, newer runc
# prints logfmt `time=... level=error msg="..."`.
lab_clean_errors() {
  sed -E -e 's/^ERRO\[[0-9]+\] //' -e 's/^time="[^"]*" level=error msg="(.*)"$/\1/' \
    -e 's/\\"/"/g' "$1"
}

# ---- output ----------------------------------------------------------------------------------
# lab_table TITLE HEADER1 FILE1 HEADER2 FILE2 ... : files hold `key=value` lines; prints one row
# per key (in the first file's order, then keys only later files have) and a column per file.
lab_table() {
  local title=$1
  shift
  echo
  echo "== $title"
  awk -v ncols=$(($# / 2)) -v headers="$(for ((i = 1; i <= $#; i += 2)); do printf '%s\t' "${!i}"; done)" '
    BEGIN { split(headers, head, "\t"); col = 0; prev = "" }
    FILENAME != prev { col++; prev = FILENAME }
    {
      eq = index($0, "="); if (eq == 0) next
      key = substr($0, 1, eq - 1); val = substr($0, eq + 1)
      if (!(key in seen)) { seen[key] = 1; order[++nkeys] = key }
      cell[key, col] = (cell[key, col] == "" ? val : cell[key, col] "; " val)
    }
    END {
      kw = 4; for (k = 1; k <= nkeys; k++) if (length(order[k]) > kw) kw = length(order[k])
      for (c = 1; c <= ncols; c++) {
        w[c] = length(head[c])
        for (k = 1; k <= nkeys; k++) { v = cell[order[k], c]; if (v == "") v = "-"; if (length(v) > w[c]) w[c] = length(v) }
        if (w[c] > 60) w[c] = 60
      }
      line = sprintf("%-" kw "s", "what"); sep = sprintf("%-" kw "s", ""); gsub(/ /, "-", sep)
      for (c = 1; c <= ncols; c++) { line = line sprintf(" | %-" w[c] "s", head[c]); s = sprintf("%" w[c] "s", ""); gsub(/ /, "-", s); sep = sep "-+-" s }
      print line; print sep
      for (k = 1; k <= nkeys; k++) {
        line = sprintf("%-" kw "s", order[k])
        for (c = 1; c <= ncols; c++) {
          v = cell[order[k], c]; if (v == "") v = "-"
          if (length(v) > w[c]) v = substr(v, 1, w[c] - 3) "..."
          line = line sprintf(" | %-" w[c] "s", v)
        }
        print line
      }
    }' $(for ((i = 2; i <= $#; i += 2)); do echo "${!i}"; done)
}

# The runc column's file when runc is missing: every key says so.
lab_runc_missing_column() {
  local like=$1 out=$2
  sed -E 's/=.*/=(runc not installed)/' "$like" >"$out"
}
