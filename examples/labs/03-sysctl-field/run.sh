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

# run_runc_rootless: runc's rootless config has no network namespace, and runc refuses net.*
# sysctls without one. Keep its refusal (printed after the table), then run it with the other
# keys; the net.* rows say why they are empty.
RUNC_REFUSAL=""
run_runc_rootless() {
  if ! lab_run runc "$B" lab03 "$LAB_TMP/runc-refused.txt"; then
    RUNC_REFUSAL=$(lab_clean_errors "$LAB_TMP/runc-refused.txt" | grep -v '^$' | tail -1)
  fi
  lab_edit_config "$(lab_bundle runc "$B")" '
c["linux"]["sysctl"] = {k: v for k, v in c["linux"]["sysctl"].items() if not k.startswith("net")}'
  lab_run runc "$B" lab03 "$LAB_TMP/runc.txt" || { cat "$LAB_TMP/runc.txt"; exit 1; }
  # What it read there is the host's namespace, not a value from config.json.
  sed -i -e 's/^\(read net\.[^=]*\)=.*/\1=(rootless runc: no network namespace, no net.* sysctls)/' \
    -e 's/^\(after the attempts: [^=]*\)=\(.*\)/\1=\2 (the host'"'"'s: no network namespace)/' \
    "$LAB_TMP/runc.txt"
}

lab_run minirun "$B" lab03 "$LAB_TMP/minirun.txt" || { cat "$LAB_TMP/minirun.txt"; exit 1; }
if [ -z "$RUNC" ]; then
  lab_runc_missing_column "$LAB_TMP/minirun.txt" "$LAB_TMP/runc.txt"
elif [ "$LAB_ROOTLESS" = 1 ]; then
  run_runc_rootless
else
  lab_run runc "$B" lab03 "$LAB_TMP/runc.txt" || { cat "$LAB_TMP/runc.txt"; exit 1; }
fi

# The host again, after both containers: nothing leaked out.
for key in net.ipv4.ip_forward net.core.somaxconn; do
  echo "host after the runs: $key=$(cat "/proc/sys/$(echo "$key" | tr . /)")"
done >>"$LAB_TMP/host.txt"

lab_table "sysctls from config.json" host "$LAB_TMP/host.txt" minirun "$LAB_TMP/minirun.txt" \
  runc "$LAB_TMP/runc.txt"
echo
if [ "$LAB_ROOTLESS" = 1 ]; then
  [ -z "$RUNC_REFUSAL" ] || echo "rootless runc with the net.* keys: $RUNC_REFUSAL"
  echo "As an ordinary user minirun's container has a network namespace owned by its user"
  echo "namespace, so minirun writes every key; runc's rootless config has none, so runc writes"
  echo "only kernel.shmmni. Both then bound /proc/sys read-only (readonlyPaths)."
else
  echo "Both runtimes wrote the values before the application started, then bound /proc/sys"
  echo "read-only (readonlyPaths), so the application can read them and cannot change them."
fi
