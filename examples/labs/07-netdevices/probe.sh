# Inside the container: what arrived, then a ping to the host across the moved device.
list() { tr '\n' ' ' | sed 's/ *$//'; }
echo "devices inside=$(ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' ' | list)"
if ip link show eth1 >/dev/null 2>&1; then
  echo "eth1 flags=$(ip -o link show eth1 | sed -E 's/.*<([^>]*)>.*/\1/')"
  echo "eth1 mtu, mac=$(ip -o link show eth1 | sed -E 's/.* mtu ([0-9]+) .*link\/ether ([0-9a-f:]+).*/\1, \2/')"
  echo "eth1 addresses=$(ip -o addr show eth1 | awk '{print $4}' | list)"
else
  echo "eth1 flags=(no eth1)"
fi
echo "routes=$(ip route | list)"
if out=$(ping -c 3 -W 2 10.207.0.1 2>&1); then
  echo "ping 10.207.0.1 (host)=$(echo "$out" | grep 'packets transmitted' | list)"
else
  echo "ping 10.207.0.1 (host)=failed: $(echo "$out" | tail -1)"
fi
echo "probe done"
exec sleep 60
