#!/bin/bash
# Lab 06: two ways to give a container net.core.somaxconn = 512. The sysctl field is applied by
# the runtime before the application starts; nsenter from the host can only act once the
# container exists, that is, after the application has started and read the old value.
HERE=$(cd "$(dirname "$0")" && pwd)
LAB_ROOT_ONLY="nsenter from the host into the container's network namespace and sysctl -w there"
. "$HERE/../lib.sh"

echo "Lab 06: nsenter from the host vs the sysctl field"
echo "minirun: $MINIRUN"
lab_say_runc

KEY=net.core.somaxconn
FILE=/proc/sys/net/core/somaxconn
WANT=512

# The "application": reads the value once at start (as a server sizes its listen backlog),
# and again two seconds later.
APP="echo \"app read at start=\$(cat $FILE)\"; sleep 2; echo \"app read 2s later=\$(cat $FILE)\""

FIELD=$LAB_TMP/field
lab_make_bundle "$FIELD"
lab_set_script "$FIELD" "$APP"
lab_edit_config "$FIELD" "c['linux']['sysctl'] = {'$KEY': '$WANT'}"

PLAIN=$LAB_TMP/plain
lab_make_bundle "$PLAIN"
lab_set_script "$PLAIN" "$APP"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

for rt in minirun runc; do
  out=$LAB_TMP/$rt.txt
  if [ $rt = runc ] && [ -z "$RUNC" ]; then
    continue
  fi
  : >"$out"

  # 1. the sysctl field
  lab_run $rt "$FIELD" lab06-field-$rt "$LAB_TMP/field-$rt.out" || { cat "$LAB_TMP/field-$rt.out"; exit 1; }
  sed 's/^/sysctl field: /' "$LAB_TMP/field-$rt.out" >>"$out"
  echo "sysctl field: written=by the runtime, before exec" >>"$out"

  # 2. nsenter from the host, as soon as the host can: once the container is running.
  lab_run_detached $rt "$PLAIN" lab06-nsenter-$rt "$LAB_TMP/nsenter-$rt.out"
  start=$(now_ms)
  pid=$(lab_pid $rt lab06-nsenter-$rt)
  # Real life is a race between the operator's nsenter and the application's first read, which
  # the application usually wins (it runs the moment `run -d` returns). The lab lets it win every
  # time: it writes once the application has printed its first read.
  lab_wait_for "$LAB_TMP/nsenter-$rt.out" "at start" 10 || { cat "$LAB_TMP/nsenter-$rt.out"; exit 1; }
  nsenter -t "$pid" -n sysctl -q -w "$KEY=$WANT"
  wrote=$(now_ms)
  lab_wait_for "$LAB_TMP/nsenter-$rt.out" "2s later" 10 || { cat "$LAB_TMP/nsenter-$rt.out"; exit 1; }
  sed 's/^/nsenter: /' "$LAB_TMP/nsenter-$rt.out" >>"$out"
  echo "nsenter: written=$((wrote - start)) ms after run -d returned: the app was already running" >>"$out"
  $(lab_runtime $rt) delete -f lab06-nsenter-$rt >/dev/null 2>&1 || true
done
[ -z "$RUNC" ] && lab_runc_missing_column "$LAB_TMP/minirun.txt" "$LAB_TMP/runc.txt"

echo "host: $KEY=$(cat $FILE) (untouched: both ways act on the container's namespace only)"
lab_table "$KEY = $WANT, two ways" minirun "$LAB_TMP/minirun.txt" runc "$LAB_TMP/runc.txt"
