#!/bin/bash
# The Kubernetes path without kubelet: containerd's CRI plugin with a runtime handler `minirun`
# (runtime_type io.containerd.runc.v2, options.BinaryName = the built minirun), called by a
# small Python CRI client. The pod gets a real CNI network: a bridge with host-local IPAM, but
# containerd runs in a network namespace of its own (unshare --net), so the bridge, the veths
# and the pod netns never touch the host's network.
TEST_NAME=cri
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/containerd.sh"

require_root_and containerd ctr containerd-shim-runc-v2 "$PYTHON" protoc unshare
"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null || skip_all "python3-grpcio/python3-protobuf missing"

CTRD_NS=k8s.io # the CRI plugin's namespace
network=pod
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] ||
  network=node

make_scratch
write_cni_config() {
  cat >"$T/ctrd/cni-net.d/10-minirun.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "minirun-test",
  "plugins": [{
    "type": "bridge", "bridge": "mrtest0", "isGateway": true, "ipMasq": false,
    "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.213.7.0/24"}]],
             "dataDir": "$T/ctrd/cni-data"}
  }]
}
EOF
}

write_containerd_config --cri
[ $network = pod ] && write_cni_config
CTRD_ENTER=(unshare --net)
own_cgroup_parent k8s.io  # the CRI plugin's namespace: cgroups are /k8s.io/<id>
start_containerd_with_config || skip_all "containerd failed to start"

import_image "$BUSYBOX_IMAGE" /bin/sh &&
  import_image "$PAUSE_IMAGE" /bin/sleep 2147483647 || {
  fail image-import "ctr images import failed"
  finish
}
# The CRI plugin learns about imported images asynchronously.
wait_until 20 eval 'ctr images ls -q | grep -q minirun-pause' || true

exec_mode="noexec"
minirun_has exec && exec_mode="exec"
mkdir -p "$T/pod-logs"
(cd "$ENGINES_DIR" && "$PYTHON" cri_flow.py "$CONTAINERD_ADDRESS" "$BUSYBOX_IMAGE" \
  "$T/pod-logs" "$network" "$exec_mode") >"$T/flow.out" 2>&1
flow_rc=$?
cat "$T/flow.out"
passes=$((passes + $(grep -c '^PASS' "$T/flow.out")))
skips=$((skips + $(grep -c '^SKIP' "$T/flow.out")))
if [ $flow_rc -ne 0 ]; then
  fail cri-flow "cri_flow.py exited $flow_rc"
  log "containerd log (errors):"
  grep -E 'level=(error|warning)' "$T/ctrd/containerd.log" | tail -15 >&2
fi
[ $network = node ] && skip cri-pod-network "CNI plugins missing: the pod used the node's network"

wait_until 10 test -z "$(ctrd_leftovers)"
expect_eq nothing-left "" "$(ctrd_leftovers)"
expect_eq no-pod-netns-left "" "$(ls -A "$T/ctrd/state/io.containerd.grpc.v1.cri/netns" 2>/dev/null)"

finish
