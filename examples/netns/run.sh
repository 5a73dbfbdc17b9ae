#!/bin/bash
# Shows that the container has its own network namespace with only a loopback, which is up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"

echo "host netns:      $(readlink /proc/self/ns/net)"
echo "host interfaces: $(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')"
echo
run_example "$here/config.json"
