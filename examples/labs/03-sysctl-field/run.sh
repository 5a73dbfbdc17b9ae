#!/bin/bash
# Lab 03: sysctls set through config.json, read back inside the container; a write from inside
# fails because /proc/sys is mounted read-only; the mount flags that do it.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"

echo "Lab 03: the sysctl field"
echo "minirun: $MINIRUN"
lab_say_runc

B=$LAB_TMP/bundle
lab_make_bundle "$B"
lab_set_script "$B" "$(cat "$HERE/probe.sh")"
lab_edit_config "$B" '
c["linux"]["sysctl"] = {
    "net.ipv4.ip_forward": "1",
    "net.core.somaxconn": "512",
    "net/ipv4/tcp_keepalive_time": "600",
    "net.ipv4.ip_local_port_range": "20000 30000",
    "kernel.shmmni": "8192",
}'
echo
echo "config.json sets:"
"$LAB_PYTHON" -c 'import json,sys; [print("  %s = %s" % kv) for kv in json.load(open(sys.argv[1]))["linux"]["sysctl"].items()]' "$B/config.json"

# The host's own values, to show they are untouched.
for key in net.ipv4.ip_forward net.core.somaxconn net.ipv4.tcp_keepalive_time \
  net.ipv4.ip_local_port_range kernel.shmmni; do
  echo "read $key=$(tr '\t' ' ' <"/proc/sys/$(echo "$key" | tr . /)")"
done >"$LAB_TMP/host.txt"

lab_run minirun "$B" lab03 "$LAB_TMP/minirun.txt" || { cat "$LAB_TMP/minirun.txt"; exit 1; }
if [ -n "$RUNC" ]; then
  lab_run runc "$B" lab03 "$LAB_TMP/runc.txt" || { cat "$LAB_TMP/runc.txt"; exit 1; }
else
  lab_runc_missing_column "$LAB_TMP/minirun.txt" "$LAB_TMP/runc.txt"
fi

# The host again, after both containers: nothing leaked out.
for key in net.ipv4.ip_forward net.core.somaxconn; do
  echo "host after the runs: $key=$(cat "/proc/sys/$(echo "$key" | tr . /)")"
done >>"$LAB_TMP/host.txt"

lab_table "sysctls from config.json" host "$LAB_TMP/host.txt" minirun "$LAB_TMP/minirun.txt" \
  runc "$LAB_TMP/runc.txt"
echo
echo "Both runtimes wrote the values before the application started, then bound /proc/sys"
echo "read-only (readonlyPaths), so the application can read them and cannot change them."
