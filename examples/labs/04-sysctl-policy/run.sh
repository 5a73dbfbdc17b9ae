#!/bin/bash
# Lab 04: which sysctl keys a runtime accepts and why, minirun beside runc, with each side's own
# words; and the dotted interface name (net/ipv4/conf/lab0.100/forwarding) that runc writes to
# the wrong path.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"

echo "Lab 04: the sysctl policy"
echo "minirun: $MINIRUN"
lab_say_runc

BASE=$LAB_TMP/base
lab_make_bundle "$BASE"

host_value() { tr '\t' ' ' <"/proc/sys/$(echo "$1" | tr . /)"; }

NETNS=lab04-dot
DOTTED=/proc/sys/net/ipv4/conf/lab0.100/forwarding
HOSTBIND=/run/netns/lab04-hostnet

# make_host_namespaces: what the root-only cases join. Needs root: `ip netns add` and a mount.
make_host_namespaces() {
  # A namespace we create ourselves, holding an interface with a dot in its name (as VLAN
  # interfaces have: eth0.100). The dummy driver may be missing; a bridge is as good a name
  # holder.
  ip netns add "$NETNS"
  lab_on_exit "ip netns del $NETNS"
  ip netns exec "$NETNS" ip link add lab0.100 type dummy 2>/dev/null ||
    ip netns exec "$NETNS" ip link add lab0.100 type bridge

  # docker's host-network case: the host's netns reached through a bind mount, a different path.
  touch "$HOSTBIND"
  lab_on_exit "rm -f $HOSTBIND"
  mount --bind /proc/self/ns/net "$HOSTBIND"
  lab_on_exit "umount $HOSTBIND"
}
[ "$LAB_ROOTLESS" = 1 ] || make_host_namespaces

# case NAME KEY VALUE 'python edit of c' : one config, run under both runtimes. The container
# prints the key's value back. Refused cases use the host's current value, so even a runtime
# that wrongly accepted one would change nothing.
CASES=()
case_() {
  local name=$1 key=$2 value=$3 edit=$4 dir=$LAB_TMP/case-$1
  CASES+=("$name")
  lab_copy_configs "$BASE" "$dir"
  local path=/proc/sys/$("$LAB_PYTHON" -c '
import sys
k = sys.argv[1]
first = min((i for i in (k.find("."), k.find("/")) if i >= 0), default=-1)
if first >= 0 and k[first] == "/":
    print(k)
else:
    print(k.replace(".", "\0").replace("/", ".").replace("\0", "/"))' "$key")
  lab_set_script "$dir" "cat '$path'"
  KEY=$key VALUE=$value lab_edit_config "$dir" "import os
c['root']['path'] = '$BASE/rootfs'  # one rootfs for all cases (runc refuses a symlinked one)
$edit
c['linux']['sysctl'] = {os.environ['KEY']: os.environ['VALUE']}"
  echo "$key, value $value" >"$dir/what"

  # What `minirun check` says about the key: the rule, from the same policy as run.
  "$MINIRUN" check --format json "$dir" 2>/dev/null |
    "$LAB_PYTHON" -c 'import json,sys; s=json.load(sys.stdin)["sysctls"][0]; print(("allowed" if s["allowed"] else "refused") + " by " + s["rule"])' \
      >"$dir/rule" || echo "?" >"$dir/rule"

  local rt rc
  for rt in minirun runc; do
    if [ -f "$dir/reset" ]; then sh "$dir/reset"; fi
    rc=0
    lab_run "$rt" "$dir" "lab04-$name" "$dir/$rt.out" || rc=$?
    if [ "$rt" = runc ] && [ -z "$RUNC" ]; then
      echo "(runc not installed)" >"$dir/$rt.verdict"
    elif [ $rc -eq 0 ]; then
      echo "accepted, reads back: $(tail -1 "$dir/$rt.out")" >"$dir/$rt.verdict"
    elif [ "$rt" = runc ] && [ "$LAB_ROOTLESS" = 1 ] && [ "${key#net}" != "$key" ]; then
      echo "refused (exit $rc): rootless runc has no network namespace" >"$dir/$rt.verdict"
    elif [ "$LAB_ROOTLESS" = 1 ] && grep -qi 'permission denied' "$dir/$rt.out"; then
      # Allowed by the rules, but the file's owner is the host's root, not the user
      # namespace's: the kernel does not hand every namespaced sysctl to its namespace's root.
      echo "allowed, but the write: Permission denied (exit $rc)" >"$dir/$rt.verdict"
    else
      echo "refused (exit $rc)" >"$dir/$rt.verdict"
    fi
    if [ -f "$dir/after" ]; then sh "$dir/after" >"$dir/$rt.after" 2>&1; fi
  done
}

# root_case NAME KEY VALUE EDIT : a case whose namespace only root can make (ip netns add, a
# bind mount): run as case_ by root; as a user its row says "(needs root)".
root_case() {
  if [ "$LAB_ROOTLESS" = 0 ]; then
    case_ "$@"
    return
  fi
  local name=$1 dir=$LAB_TMP/case-$1
  CASES+=("$name")
  mkdir -p "$dir"
  echo "$2, value $3" >"$dir/what"
  local f
  for f in rule minirun.verdict runc.verdict; do echo "(needs root)" >"$dir/$f"; done
}

case_ net-private net.ipv4.ip_forward 1 'pass'
case_ ipc-key kernel.shmmax 65536 'pass'
case_ mqueue fs.mqueue.msg_max 20 'pass'
case_ domainname kernel.domainname lab.example 'pass'
case_ ipc-host-ipc kernel.shmmax "$(host_value kernel.shmmax)" 'drop_ns("ipc")'
case_ kernel-global kernel.panic "$(host_value kernel.panic)" 'pass'
case_ hostname kernel.hostname minirun 'pass'
# A rootless container always has a user namespace (it maps the user to root), so as a user this
# case tests the user.* rule with one.
if [ "$LAB_ROOTLESS" = 1 ]; then
  case_ user-in-userns user.max_user_namespaces "$(host_value user.max_user_namespaces)" 'pass'
else
  case_ user-no-userns user.max_user_namespaces "$(host_value user.max_user_namespaces)" 'pass'
fi
case_ net-no-netns net.ipv4.ip_forward "$(host_value net.ipv4.ip_forward)" 'drop_ns("network")'
root_case net-host-bind net.ipv4.ip_forward "$(host_value net.ipv4.ip_forward)" \
  "ns('network')['path'] = '$HOSTBIND'"

# The dotted interface, in both key forms. Before each run the value is reset to 0; after it,
# the host reads the real file through the namespace.
for form in slash dot; do
  if [ $form = slash ]; then key=net/ipv4/conf/lab0.100/forwarding; else key=net.ipv4.conf.lab0/100.forwarding; fi
  dir=$LAB_TMP/case-dotted-$form
  mkdir -p "$dir"
  echo "ip netns exec $NETNS sh -c 'echo 0 > $DOTTED'" >"$dir/reset"
  echo "ip netns exec $NETNS cat $DOTTED" >"$dir/after"
  root_case dotted-$form "$key" 1 "ns('network')['path'] = '/run/netns/$NETNS'"
done

# ---- the tables -------------------------------------------------------------------------------
for rt in minirun runc; do
  for name in "${CASES[@]}"; do
    echo "$name: $(cat "$LAB_TMP/case-$name/what")=$(cat "$LAB_TMP/case-$name/$rt.verdict")"
  done >"$LAB_TMP/$rt.txt"
done
for name in "${CASES[@]}"; do
  echo "$name: $(cat "$LAB_TMP/case-$name/what")=$(cat "$LAB_TMP/case-$name/rule")"
done >"$LAB_TMP/rule.txt"
TITLE="verdicts (namespaces: pid, net, ipc, uts, mount, cgroup unless the case says)"
if [ "$LAB_ROOTLESS" = 1 ]; then
  TITLE="verdicts, rootless (namespaces unless the case says: minirun user, pid, net, ipc, uts,"
  TITLE+=" mount, cgroup; runc user, pid, ipc, uts, mount)"
fi
lab_table "$TITLE" \
  "minirun check" "$LAB_TMP/rule.txt" minirun "$LAB_TMP/minirun.txt" runc "$LAB_TMP/runc.txt"

echo
echo "== the messages, word for word"
for name in "${CASES[@]}"; do
  dir=$LAB_TMP/case-$name
  # Only cases that failed somewhere ("(exit N)" in a verdict).
  grep -q '(exit' "$dir/minirun.verdict" "$dir/runc.verdict" 2>/dev/null || continue
  echo "$name ($(cat "$dir/what")):"
  for rt in minirun runc; do
    if grep -q '(exit' "$dir/$rt.verdict"; then
      printf '  %-8s %s\n' "$rt:" "$(lab_clean_errors "$dir/$rt.out" | grep -v '^$' | tail -1)"
    else
      printf '  %-8s %s\n' "$rt:" "$(cat "$dir/$rt.verdict")"
    fi
  done
done

for rt in minirun runc; do
  for form in slash dot; do
    dir=$LAB_TMP/case-dotted-$form
    if [ "$rt" = runc ] && [ -z "$RUNC" ]; then
      v="(runc not installed)"
    elif [ "$LAB_ROOTLESS" = 1 ]; then
      v="(needs root: ip netns add)"
    else
      v="$(sed 's/,.*//' "$dir/$rt.verdict"); the file holds $(cat "$dir/$rt.after")"
    fi
    echo "$(sed 's/,.*//' "$dir/what")=$v"
  done >"$LAB_TMP/dotted-$rt.txt"
done
lab_table "$DOTTED (0 before each run), read from the host after it" \
  minirun "$LAB_TMP/dotted-minirun.txt" runc "$LAB_TMP/dotted-runc.txt"
