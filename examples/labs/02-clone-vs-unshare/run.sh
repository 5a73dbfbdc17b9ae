#!/bin/bash
# Lab 02: clone(CLONE_NEWNET) vs unshare(CLONE_NEWNET), and `lsns -t net` from the host while a
# container runs under minirun and under runc.
HERE=$(cd "$(dirname "$0")" && pwd)
LAB_ROOT_ONLY="its C programs clone and unshare a network namespace without a user namespace (CAP_SYS_ADMIN)"
. "$HERE/../lib.sh"

echo "Lab 02: clone vs unshare, and lsns"
echo "minirun: $MINIRUN"
lab_say_runc

# Static, so the same binaries also run inside the busybox rootfs (which has no libc).
for prog in clone_netns unshare_netns; do
  cc -O2 -Wall -Wextra -static -I"$HERE" -o "$LAB_TMP/$prog" "$HERE/$prog.c"
done

# ---- part 1: the two system calls, on the host -----------------------------------------------
"$LAB_TMP/clone_netns" >"$LAB_TMP/clone.raw"
"$LAB_TMP/unshare_netns" >"$LAB_TMP/unshare.raw"
val() { sed -n "s/^$1=//p" "$2"; }
{
  echo "caller pid=$(val 'parent pid' "$LAB_TMP/clone.raw")"
  echo "caller netns before=$(val 'parent netns' "$LAB_TMP/clone.raw")"
  echo "caller netns after=$(val 'parent-after netns' "$LAB_TMP/clone.raw")"
  echo "caller devices after=$(val 'parent-after devices' "$LAB_TMP/clone.raw")"
  echo "process in the new netns=pid $(val 'child pid' "$LAB_TMP/clone.raw") (a new child)"
  echo "new netns=$(val 'child netns' "$LAB_TMP/clone.raw")"
  echo "devices in the new netns=$(val 'child devices' "$LAB_TMP/clone.raw")"
} >"$LAB_TMP/clone.txt"
{
  echo "caller pid=$(val 'before pid' "$LAB_TMP/unshare.raw")"
  echo "caller netns before=$(val 'before netns' "$LAB_TMP/unshare.raw")"
  echo "caller netns after=$(val 'after netns' "$LAB_TMP/unshare.raw")"
  echo "caller devices after=$(val 'after devices' "$LAB_TMP/unshare.raw")"
  echo "process in the new netns=pid $(val 'after pid' "$LAB_TMP/unshare.raw") (the caller itself)"
  echo "new netns=$(val 'after netns' "$LAB_TMP/unshare.raw")"
  echo "devices in the new netns=$(val 'after devices' "$LAB_TMP/unshare.raw")"
} >"$LAB_TMP/unshare.txt"
lab_table "on the host: clone() vs unshare()" \
  "clone(CLONE_NEWNET)" "$LAB_TMP/clone.txt" "unshare(CLONE_NEWNET)" "$LAB_TMP/unshare.txt"

# ---- part 2: containers seen from the host ----------------------------------------------------
B=$LAB_TMP/bundle
lab_make_bundle "$B"
mkdir -p "$B/rootfs/lab"
cp "$LAB_TMP/unshare_netns" "$B/rootfs/lab/"
lab_set_script "$B" '/lab/unshare_netns; echo ready; exec sleep 60'

runtimes="minirun"
[ -n "$RUNC" ] && runtimes="minirun runc"
for rt in $runtimes; do
  lab_run_detached "$rt" "$B" "lab02-$rt" "$LAB_TMP/$rt.out"
done
for rt in $runtimes; do
  lab_wait_for "$LAB_TMP/$rt.out" ready 10 || { cat "$LAB_TMP/$rt.out"; exit 1; }
done

# lsns (util-linux 2.38) gives up when a process exits while it scans /proc: try again.
lsns_net() {
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    lsns -t net -o NS,TYPE,NPROCS,PID,COMMAND 2>/dev/null && return 0
    sleep 0.2
  done
  echo "(lsns failed 10 times)"
}
lsns_net >"$LAB_TMP/lsns.txt"

for rt in $runtimes; do
  pid=$(lab_pid "$rt" "lab02-$rt")
  inode=$(readlink "/proc/$pid/ns/net" | tr -dc 0-9)
  row=$(awk -v ns="$inode" '$1 == ns' "$LAB_TMP/lsns.txt" | tr -s ' ')
  {
    echo "container init pid (state)=$pid"
    echo "its netns (/proc/PID/ns/net)=$(readlink "/proc/$pid/ns/net")"
    echo "lsns -t net row=${row:-(not listed)}"
    echo "devices (nsenter -t PID -n ip)=$(nsenter -t "$pid" -n ip -o link | cut -d: -f2 | tr -d ' ' | tr '\n' ' ')"
    echo "unshare() inside the container=$(val unshare "$LAB_TMP/$rt.out")"
  } >"$LAB_TMP/$rt.txt"
  $(lab_runtime "$rt") delete -f "lab02-$rt" >/dev/null 2>&1 || true
done
[ -z "$RUNC" ] && lab_runc_missing_column "$LAB_TMP/minirun.txt" "$LAB_TMP/runc.txt"

echo
echo "== lsns -t net while both containers ran (host namespace and the containers' rows):"
head -2 "$LAB_TMP/lsns.txt"
for rt in $runtimes; do
  awk -v ns="$(sed -n 's/^its netns.*=net:\[\([0-9]*\)\]$/\1/p' "$LAB_TMP/$rt.txt")" '$1 == ns' "$LAB_TMP/lsns.txt"
done
lab_table "containers seen from the host" minirun "$LAB_TMP/minirun.txt" runc "$LAB_TMP/runc.txt"
