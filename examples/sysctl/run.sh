#!/bin/bash
# Sets net.* sysctls in a container's own netns, shows them, and shows /proc/sys is read-only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"

show() { for k in net/ipv4/ip_forward net/ipv4/conf/all/rp_filter net/core/somaxconn; do
  echo "  $k = $(cat "/proc/sys/$k")"
done; }

echo "host before:"
show
echo
status=0
run_example "$here/config.json" || status=$?
echo
echo "host after (unchanged):"
show
exit $status
