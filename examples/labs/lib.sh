# Shared helpers for the labs; sourced by every NN-name/run.sh.
#
# Provides: MINIRUN (the binary), RUNC (empty when runc is missing), LAB_TMP (a temp dir removed
# on exit), lab_on_exit (cleanup stack, run in reverse order), lab_make_bundle, lab_edit_config,
# lab_run (one container under one runtime), lab_table (side-by-side columns).
set -eu
PATH=$PATH:/usr/sbin:/sbin  # ip, mount, nsenter when run from a minimal environment

LAB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_REPO=$(cd "$LAB_LIB_DIR/../.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "this lab needs root (namespaces, mounts, ip netns)" >&2
  exit 1
fi

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

LAB_TMP=$(mktemp -d /tmp/minirun-lab.XXXXXX)
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
# lab_make_bundle DIR: a busybox rootfs and a config.json from `minirun spec`, terminal off.
lab_make_bundle() {
  local dir=$1
  mkdir -p "$dir/rootfs/bin"
  cp /bin/busybox "$dir/rootfs/bin/busybox"
  chroot "$dir/rootfs" /bin/busybox --install -s /bin
  mkdir -p "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/etc" \
    "$dir/rootfs/tmp"
  (cd "$dir" && "$MINIRUN" spec)
  lab_edit_config "$dir" 'c["process"]["terminal"] = False'
}

# The system's python3 first: a version-manager shim in PATH can cost a few hundred ms a call.
LAB_PYTHON=$(command -v /usr/bin/python3 || command -v python3)

# lab_edit_config DIR 'python statements on c' : edits DIR/config.json in place.
lab_edit_config() {
  "$LAB_PYTHON" - "$1/config.json" "$2" <<'PY'
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
  $(lab_runtime "$runtime") run -b "$bundle" "$id" </dev/null >"$out" 2>&1 || rc=$?
  return $rc
}

# lab_run_detached RUNTIME BUNDLE ID OUTFILE : starts in the background (run -d); the container's
# stdout and stderr go to OUTFILE. Registers a forced delete.
lab_run_detached() {
  local runtime=$1 bundle=$2 id=$3 out=$4
  lab_on_exit "$(lab_runtime "$runtime") delete -f $id"
  $(lab_runtime "$runtime") run -d -b "$bundle" "$id" </dev/null >"$out" 2>&1
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
