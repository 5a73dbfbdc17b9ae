#!/bin/bash
# Lab 07: linux.netDevices. The host makes a veth pair and addresses both ends; the config moves
# one end into the container as eth1. Inside: is the address still there, can it ping the host?
# Outside: `events --stats` reads the container's own interface counters.
HERE=$(cd "$(dirname "$0")" && pwd)
LAB_ROOT_ONLY="a veth pair on the host, one end moved into the container (CAP_NET_ADMIN on the host)"
. "$HERE/../lib.sh"

echo "Lab 07: moving a host interface into the container (linux.netDevices)"
echo "minirun: $MINIRUN"
lab_say_runc

# Names unique to this run (at most 15 bytes): two labs at once do not collide.
HOST_END=l7h$$
CTR_END=l7c$$

# make_veth: a fresh pair for each runtime (minirun's container takes its end away for good).
make_veth() {
  lab_on_exit "ip link del $HOST_END"
  lab_on_exit "ip link del $CTR_END"
  ip link add $HOST_END type veth peer name $CTR_END
  ip addr add 10.207.0.1/24 dev $HOST_END
  ip link set $HOST_END up
  # The container end's own settings, made on the host: the runtime must carry them over.
  ip link set $CTR_END mtu 1420 address 02:00:0a:cf:00:02
  ip addr add 10.207.0.2/24 dev $CTR_END
  ip link set $CTR_END up  # so it has a link-local fe80:: address too, which must stay behind
}

on_host() { # on_host NAME : where NAME is as seen from the host
  if ip link show "$1" >/dev/null 2>&1; then
    echo "on the host ($(ip -o -4 addr show "$1" | awk '{print $4}' | tr '\n' ' ' | sed 's/ $//'))"
  else
    echo "gone from the host"
  fi
}

B=$LAB_TMP/bundle
lab_make_bundle "$B"
lab_set_script "$B" "$(cat "$HERE/probe.sh")"
# busybox ping opens a raw ICMP socket: the container needs CAP_NET_RAW (not in the default set).
lab_edit_config "$B" "
c['linux']['netDevices'] = {'$CTR_END': {'name': 'eth1'}}
for s in ('bounding', 'effective', 'permitted'):
    c['process']['capabilities'][s].append('CAP_NET_RAW')"
echo
echo "config.json: \"netDevices\": $("$LAB_PYTHON" -c 'import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["linux"]["netDevices"]))' "$B/config.json")"

make_veth
echo
echo "== minirun check (what would happen, nothing moves)"
$MINIRUN check "$B" | sed -n '/^network devices:/,/when the namespace goes/p'

# stats NAME RUNTIME ID : the eth1 entry of `events --stats`, or what there is instead.
stats() {
  local out
  out=$($(lab_runtime "$1") events --stats "$2" 2>&1) || { echo "events failed: $out"; return; }
  echo "$out" | "$LAB_PYTHON" -c '
import json, sys
d = json.load(sys.stdin)["data"]
n = d.get("network_interfaces")
if n is None:
    print("network_interfaces: null")
else:
    e = [i for i in n if i["Name"] == "eth1"]
    print("; ".join("%s rx %d pkts/%d B, tx %d pkts/%d B" % (i["Name"], i["RxPackets"], i["RxBytes"],
          i["TxPackets"], i["TxBytes"]) for i in (e or n)))'
}

for rt in minirun runc; do
  out=$LAB_TMP/$rt.txt
  if [ $rt = runc ] && [ -z "$RUNC" ]; then
    lab_runc_missing_column "$LAB_TMP/minirun.txt" "$out"
    continue
  fi
  [ $rt = runc ] && make_veth
  echo "before: $CTR_END=$(on_host $CTR_END)" >"$out"
  lab_run_detached $rt "$B" lab07-$rt "$LAB_TMP/$rt.ctr" || { cat "$LAB_TMP/$rt.ctr"; exit 1; }
  lab_wait_for "$LAB_TMP/$rt.ctr" "probe done" 15 || { cat "$LAB_TMP/$rt.ctr"; exit 1; }
  grep = "$LAB_TMP/$rt.ctr" >>"$out"
  echo "while running: $CTR_END=$(on_host $CTR_END)" >>"$out"
  echo "events --stats=$(stats $rt lab07-$rt)" >>"$out"
  $(lab_runtime $rt) delete -f lab07-$rt >/dev/null 2>&1
  # A veth dies with its namespace, which the kernel frees shortly after the last process.
  for _ in $(seq 50); do ip link show $HOST_END >/dev/null 2>&1 || break; sleep 0.1; done
  echo "after delete: $HOST_END=$(on_host $HOST_END)" >>"$out"
done

lab_table "the same config.json" minirun "$LAB_TMP/minirun.txt" runc "$LAB_TMP/runc.txt"
