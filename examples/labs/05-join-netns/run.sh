#!/bin/bash
# Lab 05: a container that joins an existing network namespace by path. We build the namespace
# with ip(8): two namespaces of our own joined by a veth pair, an address on each end; the
# container joins one and pings the other.
HERE=$(cd "$(dirname "$0")" && pwd)
LAB_ROOT_ONLY="ip netns and a veth pair on the host"
. "$HERE/../lib.sh"

echo "Lab 05: joining a network namespace by path"
echo "minirun: $MINIRUN"
lab_say_runc

# Only namespaces we create hold the addresses: nothing is added to the host's namespace.
CTR=lab05-ctr
PEER=lab05-peer
ip netns add $CTR
lab_on_exit "ip netns del $CTR"
ip netns add $PEER
lab_on_exit "ip netns del $PEER"
# Deleting either namespace deletes its veth end, and with it the other end; the explicit delete
# is for a run interrupted halfway.
lab_on_exit "ip netns exec $PEER ip link del veth-peer"
ip netns exec $PEER ip link add veth-peer type veth peer name veth-ctr netns $CTR
ip netns exec $PEER ip addr add 10.200.5.1/24 dev veth-peer
ip netns exec $PEER ip link set veth-peer up
ip netns exec $PEER ip link set lo up
ip netns exec $CTR ip addr add 10.200.5.2/24 dev veth-ctr
ip netns exec $CTR ip link set veth-ctr up
# lo in $CTR is left down on purpose: see what the runtimes do with a joined namespace's lo.

echo
echo "built: $PEER (veth-peer 10.200.5.1/24) <-> $CTR (veth-ctr 10.200.5.2/24)"

B=$LAB_TMP/bundle
lab_make_bundle "$B"
lab_set_script "$B" "$(cat "$HERE/probe.sh")"
# busybox ping opens a raw ICMP socket: the container needs CAP_NET_RAW (not in the default set).
lab_edit_config "$B" "
ns('network')['path'] = '/run/netns/$CTR'
for s in ('bounding', 'effective', 'permitted'):
    c['process']['capabilities'][s].append('CAP_NET_RAW')"

echo "netns=$(readlink /proc/self/ns/net) (the host)" >"$LAB_TMP/ref.txt"
echo "netns=$(ip netns exec $CTR readlink /proc/self/ns/net) ($CTR)" >>"$LAB_TMP/ref.txt"

for rt in minirun runc; do
  if [ $rt = runc ] && [ -z "$RUNC" ]; then
    lab_runc_missing_column "$LAB_TMP/minirun.txt" "$LAB_TMP/runc.txt"
    continue
  fi
  ip netns exec $CTR ip link set lo down
  lab_run $rt "$B" lab05-$rt "$LAB_TMP/$rt.txt" || { cat "$LAB_TMP/$rt.txt"; exit 1; }
  # The namespace outlives the container: ip netns keeps it with a bind mount.
  echo "after exit: $CTR still holds=$(ip netns exec $CTR ip -o -4 addr show veth-ctr | awk '{print $2, $4}')" >>"$LAB_TMP/$rt.txt"
done

lab_table "the container in $CTR" minirun "$LAB_TMP/minirun.txt" runc "$LAB_TMP/runc.txt"
echo
echo "for reference: $(tr '\n' ';' <"$LAB_TMP/ref.txt" | sed 's/;$//; s/;/; /')"
