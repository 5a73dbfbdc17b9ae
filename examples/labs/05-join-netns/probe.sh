# Inside the container, in the joined namespace.
list() { tr '\n' ' ' | sed 's/ *$//'; }
echo "netns=$(readlink /proc/self/ns/net)"
echo "devices=$(ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' ' | list)"
echo "lo flags=$(ip -o link show lo | sed -E 's/.*<([^>]*)>.*/\1/')"
echo "veth-ctr address=$(ip -4 -o addr show veth-ctr | awk '{print $4}')"
echo "routes=$(ip route | list)"
if out=$(ping -c 2 -W 2 10.200.5.1 2>&1); then
  echo "ping 10.200.5.1=$(echo "$out" | grep 'packets transmitted' | list)"
else
  echo "ping 10.200.5.1=failed: $(echo "$out" | tail -1)"
fi
