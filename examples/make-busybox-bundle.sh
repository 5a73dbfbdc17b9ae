#!/bin/bash
# Makes an OCI bundle with a busybox rootfs:
#   make-busybox-bundle.sh DIR [-- ARGS...]
# DIR/rootfs: busybox (from busybox-static) with one symlink per applet in /bin, the usual
# mount points and /etc/{passwd,group,hosts}. DIR/config.json: `$MINIRUN spec` when $MINIRUN
# is set and jq is installed, else runc's default spec; either way with terminal=false and
# process.args = ARGS (default: sh). Safe to run again on the same DIR.
set -euo pipefail

usage() {
  echo "usage: $0 DIR [-- ARGS...]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
dir=$1
shift
if [ $# -gt 0 ]; then
  [ "$1" = "--" ] || usage
  shift
fi
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(sh)

busybox=
for candidate in /bin/busybox /usr/bin/busybox; do
  [ -x "$candidate" ] && busybox=$candidate && break
done
[ -n "$busybox" ] || { echo "busybox not found: apt-get install busybox-static" >&2; exit 1; }

rootfs=$dir/rootfs
mkdir -p "$rootfs"/{bin,proc,sys,dev,etc,tmp,root}
chmod 1777 "$rootfs/tmp"
cp -f "$busybox" "$rootfs/bin/busybox"
# `busybox --install -s DIR` would point every link at the host's path of busybox; relative
# links keep working inside the container.
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sfn busybox "$rootfs/bin/$applet"
done
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$rootfs/etc/passwd"
printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$rootfs/etc/group"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >"$rootfs/etc/hosts"

# "a\b" -> "\"a\\\\b\"": enough JSON escaping for command-line words.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  printf '"%s"' "$s"
}

spec_from_minirun() {
  [ -n "${MINIRUN:-}" ] && command -v jq >/dev/null || return 1
  local tmp
  tmp=$(mktemp -d)
  if "$MINIRUN" spec --bundle "$tmp" >/dev/null 2>&1 && [ -s "$tmp/config.json" ] &&
    jq '.process.terminal = false | .process.args = $ARGS.positional' \
      "$tmp/config.json" --args "${args[@]}" >"$dir/config.json.tmp"; then
    rm -rf "$tmp"
    return 0
  fi
  rm -rf "$tmp"
  return 1
}

runc_default_spec() {
  local json_args= a
  for a in "${args[@]}"; do
    json_args+="${json_args:+, }$(json_string "$a")"
  done
  cat <<JSON
{
  "ociVersion": "1.0.2-dev",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": [ $json_args ],
    "env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "TERM=xterm"
    ],
    "cwd": "/",
    "capabilities": {
      "bounding": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
      "effective": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
      "permitted": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
      "ambient": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ]
    },
    "rlimits": [ { "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024 } ],
    "noNewPrivileges": true
  },
  "root": { "path": "rootfs", "readonly": true },
  "hostname": "runc",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
      "options": [ "nosuid", "strictatime", "mode=755", "size=65536k" ] },
    { "destination": "/dev/pts", "type": "devpts", "source": "devpts",
      "options": [ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" ] },
    { "destination": "/dev/shm", "type": "tmpfs", "source": "shm",
      "options": [ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" ] },
    { "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
      "options": [ "nosuid", "noexec", "nodev" ] },
    { "destination": "/sys", "type": "sysfs", "source": "sysfs",
      "options": [ "nosuid", "noexec", "nodev", "ro" ] },
    { "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
      "options": [ "nosuid", "noexec", "nodev", "relatime", "ro" ] }
  ],
  "linux": {
    "resources": { "devices": [ { "allow": false, "access": "rwm" } ] },
    "namespaces": [
      { "type": "pid" }, { "type": "network" }, { "type": "ipc" }, { "type": "uts" },
      { "type": "mount" }
    ],
    "maskedPaths": [
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
      "/proc/scsi"
    ],
    "readonlyPaths": [
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"
    ]
  }
}
JSON
}

if ! spec_from_minirun; then
  runc_default_spec >"$dir/config.json.tmp"
fi
mv -f "$dir/config.json.tmp" "$dir/config.json"
echo "bundle ready: $dir (args: ${args[*]})"
