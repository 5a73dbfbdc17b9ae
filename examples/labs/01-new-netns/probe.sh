# What the current network namespace holds, as key=value lines. Runs under busybox sh, inside a
# container or on the host, so every column of the table is produced by the same commands.
list() { tr '\n' ' ' | sed 's/ *$//'; }
echo "netns (readlink /proc/self/ns/net)=$(readlink /proc/self/ns/net)"
echo "devices (ip link)=$(ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' ' | list)"
echo "lo flags=$(ip -o link show lo | sed -E 's/.*<([^>]*)>.*/\1/')"
echo "lo operstate (/sys)=$(cat /sys/class/net/lo/operstate)"
echo "lo IPv4=$(ip -4 -o addr show lo | awk '{print $4}' | list)"
echo "lo IPv6=$(ip -6 -o addr show lo | awk '{print $4}' | list)"
routes=$(ip route | list)
echo "routes, main table=${routes:-(none)}"
echo "routes, local table=$(ip route show table local | wc -l) entries"
echo "/sys/class/net=$(ls /sys/class/net | list)"
echo "/proc/net/dev interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | list)"
echo "/proc/net/tcp sockets=$(($(wc -l </proc/net/tcp) - 1))"
echo "/proc/net/unix sockets=$(($(wc -l </proc/net/unix) - 1))"
tables=$(cat /proc/net/ip_tables_names 2>/dev/null | list)
echo "iptables tables loaded=${tables:-(none)}"
echo "net.ipv4.ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
echo "net.core.somaxconn=$(cat /proc/sys/net/core/somaxconn)"
echo "/proc/sys/net/ipv4/conf=$(ls /proc/sys/net/ipv4/conf | list)"
