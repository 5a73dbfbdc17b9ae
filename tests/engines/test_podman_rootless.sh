#!/bin/bash
# Rootless podman 4.3 + conmon driving the built minirun (`podman --runtime MINIRUN`) as a
# throwaway unprivileged user: run (one-shot and detached), exec, stop, rm.
#
# As root the script makes the user (useradd -m, a unique name), its subuid/subgid ranges (for
# newuidmap/newgidmap, package uidmap) and a private XDG_RUNTIME_DIR, then runs podman as that
# user with a login-like environment (HOME, XDG_RUNTIME_DIR, PATH, USER). Podman makes the user
# namespace from the subuid ranges and runs minirun inside it as uid 0: minirun has to see that
# it is not real root there (--rootless auto) and use no cgroups and a state root in
# $XDG_RUNTIME_DIR. Cgroups are cgroupfs (no systemd here) and events go to a file.
#
# Networking: --network none. Rootless podman's default networks need slirp4netns or pasta, which
# open /dev/net/tun; on this VM the device is 0600 root, so neither can run for a user.
#
# The trap removes the containers, the user's podman storage, the user and its home, its
# subuid/subgid lines and its runtime dir, even when a step fails.
TEST_NAME=podman-rootless
source "$(dirname "$0")/lib.sh"

require_root_and podman conmon useradd userdel setpriv newuidmap newgidmap "$PYTHON"
make_scratch
chmod 0755 "$T"  # the user reads the image archive from here

U="mrpl$$x$RANDOM"
getent passwd "$U" >/dev/null && skip_all "user $U exists already"

# --- the user, its id ranges and runtime dir ---------------------------------------------------
remove_user() {
  local f pid
  # Whatever still runs as the user (conmon, a stray container process), by pid.
  for pid in $(ps -o pid= -u "$U" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  userdel -r "$U" >/dev/null 2>&1
  # The storage holds files owned by the subuids, which userdel -r may leave behind.
  rm -rf "/home/${U:?}"
  for f in /etc/subuid /etc/subgid; do
    [ -f "$f" ] && sed -i "/^$U:/d" "$f"
  done
}
useradd -m -s /bin/sh "$U" || skip_all "useradd $U failed"
on_exit remove_user
uid=$(id -u "$U")
gid=$(id -g "$U")
home=$(getent passwd "$U" | cut -d: -f6)

# useradd gives new users ranges itself when login.defs asks for it; add them when it did not,
# after every range already in the files so they cannot overlap.
next_free_subid() {
  cat /etc/subuid /etc/subgid 2>/dev/null |
    awk -F: 'BEGIN { m = 100000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }'
}
for f in /etc/subuid /etc/subgid; do
  if ! grep -q "^$U:" "$f" 2>/dev/null; then
    echo "$U:$(next_free_subid):65536" >>"$f"
  fi
done
log "user $U ($uid:$gid) subuid $(grep "^$U:" /etc/subuid) subgid $(grep "^$U:" /etc/subgid)"

xdg="$T/xdg"
install -d -m 0700 -o "$uid" -g "$gid" "$xdg"

# as_user CMD...: CMD as the user, with a clean login-like environment.
as_user() {
  (cd / && setpriv --reuid "$uid" --regid "$gid" --init-groups \
    env -i HOME="$home" USER="$U" LOGNAME="$U" XDG_RUNTIME_DIR="$xdg" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@")
}
P=(podman --cgroup-manager cgroupfs --events-backend file --runtime "$MINIRUN")
pu() { as_user "${P[@]}" "$@"; }

# Containers first, then the storage (vfs layers owned by subuids: podman removes them from
# inside its user namespace), then the user.
remove_podman_state() {
  pu rm --force --all --time 0 >/dev/null 2>&1
  pu system reset --force >/dev/null 2>&1
}
on_exit remove_podman_state

as_user test -x "$MINIRUN" || skip_all "$U cannot run $MINIRUN (a parent dir is not searchable)"

# --- the image: a busybox OCI archive, loaded without any registry -----------------------------
IMAGE=localhost/minirun-busybox:rootless
"$PYTHON" "$ENGINES_DIR/make_oci_image.py" "$T/busybox.tar" "$IMAGE" >/dev/null ||
  skip_all "make_oci_image.py failed"
chmod 0644 "$T/busybox.tar"
out=$(pu load -i "$T/busybox.tar" 2>&1)
expect_eq load 0 $?
if ! pu image exists "$IMAGE"; then
  fail image-loaded "podman load: $out"
  finish
fi
pass image-loaded

RUN_OPTS=(--network none)

# --- one-shot run ------------------------------------------------------------------------------
out=$(pu run --rm "${RUN_OPTS[@]}" "$IMAGE" echo hello 2>&1)
expect_eq run-exit-code 0 $?
expect_eq run-output hello "$out"

# Inside: uid 0 mapped to the user, not to the host's root.
out=$(pu run --rm "${RUN_OPTS[@]}" "$IMAGE" sh -c 'id -u; head -1 /proc/self/uid_map' 2>&1)
expect_eq run-userns "0 0 $uid 1" "$(echo $out)"

# --- detached, exec, stop, rm ------------------------------------------------------------------
out=$(pu run -d --name prl1 "${RUN_OPTS[@]}" "$IMAGE" sleep 100 2>&1)
expect_eq run-detached 0 $?
expect_eq detached-running running "$(pu inspect --format '{{.State.Status}}' prl1 2>&1)"

out=$(pu exec prl1 sh -c 'echo exec-hello; cat /proc/1/cmdline | tr "\0" " "' 2>&1)
expect_eq exec-exit-code 0 $?
expect_eq exec-output "exec-hello sleep 100" "$(echo $out)"

out=$(pu stop -t 2 prl1 2>&1)
expect_eq stop 0 $?
expect_eq stopped exited "$(pu inspect --format '{{.State.Status}}' prl1 2>&1)"

out=$(pu rm prl1 2>&1)
expect_eq rm 0 $?
expect_eq rm-gone 1 "$(pu container exists prl1 >/dev/null 2>&1; echo $?)"

# --- nothing left: no container processes, no minirun state ------------------------------------
leftovers() {
  leftover_processes "$home" | sed 's/^/process: /'
  # minirun's state root: $XDG_RUNTIME_DIR/minirun (root in podman's user namespace).
  find "$xdg/minirun" -mindepth 1 -maxdepth 1 2>/dev/null | sed 's/^/state: /'
}
wait_until 10 test -z "$(leftovers)"
expect_eq nothing-left "" "$(leftovers)"

finish
