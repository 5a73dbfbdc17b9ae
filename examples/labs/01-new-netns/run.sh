#!/bin/bash
# Lab 01: what a new network namespace holds. The same probe runs on the host, in a bare
# `unshare --net` namespace, and in a container under minirun and under runc.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"

echo "Lab 01: what a new network namespace holds"
echo "minirun: $MINIRUN"
lab_say_runc

PROBE=$(cat "$HERE/probe.sh")
B=$LAB_TMP/bundle
lab_make_bundle "$B"
lab_set_script "$B" "$PROBE"

# The host, with busybox's applets so every column uses the same tools.
PATH="$B/rootfs/bin:$PATH" busybox sh -c "$PROBE" >"$LAB_TMP/host.txt" 2>&1

# A bare new netns, as `ip netns add` or unshare(CLONE_NEWNET) leaves it: nobody brought lo up.
# sysfs is mounted again in a private mount namespace: /sys shows the netns of its mounter.
# An ordinary user may make those namespaces only inside a user namespace of its own.
UNSHARE=(unshare --net --mount)
[ "$LAB_ROOTLESS" = 1 ] && UNSHARE=(unshare --user --map-root-user --net --mount)
"${UNSHARE[@]}" -- sh -c 'mount -t sysfs sysfs /sys && PATH="$1:$PATH" exec busybox sh -c "$2"' \
  sh "$B/rootfs/bin" "$PROBE" >"$LAB_TMP/bare.txt" 2>&1

lab_run minirun "$B" lab01 "$LAB_TMP/minirun.txt" || { cat "$LAB_TMP/minirun.txt"; exit 1; }
if [ -n "$RUNC" ]; then
  lab_run runc "$B" lab01 "$LAB_TMP/runc.txt" || { cat "$LAB_TMP/runc.txt"; exit 1; }
else
  lab_runc_missing_column "$LAB_TMP/minirun.txt" "$LAB_TMP/runc.txt"
fi
# runc's rootless config has no network namespace: its container sees the host's, which the
# netns cell says in words (the other cells are what the container saw: the host's devices).
if [ -n "$RUNC" ] && [ "$LAB_ROOTLESS" = 1 ]; then
  sed -i 's/^\(netns [^=]*\)=.*/\1=(rootless runc: no network namespace, shares the host'"'"'s)/' \
    "$LAB_TMP/runc.txt"
fi

lab_table "one probe, four places" \
  host "$LAB_TMP/host.txt" "bare unshare -n" "$LAB_TMP/bare.txt" \
  minirun "$LAB_TMP/minirun.txt" runc "$LAB_TMP/runc.txt"
echo
if [ "$LAB_ROOTLESS" = 1 ]; then
  echo "As an ordinary user: minirun's container got a namespace of its own (owned by its user"
  echo "namespace) holding only lo, which minirun brought up; the bare namespace's lo is still"
  echo "down. runc's rootless config has no network namespace: its column shows the host's."
else
  echo "Each container got a namespace of its own (compare the netns inodes) holding only lo,"
  echo "which both runtimes brought up; the bare namespace's lo is still down."
fi
