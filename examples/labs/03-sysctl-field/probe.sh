# Inside the container: read back what config.json set, try to change one, show the mounts.
for key in net.ipv4.ip_forward net.core.somaxconn net.ipv4.tcp_keepalive_time \
  net.ipv4.ip_local_port_range kernel.shmmni; do
  echo "read $key=$(cat "/proc/sys/$(echo "$key" | tr . /)" | tr '\t' ' ')"
done
# Keep the reason only: "sh: can't create /proc/sys/...: Read-only file system" -> the last part.
reason() { sed 's/.*: //'; }
echo "write: echo 0 > /proc/sys/net/ipv4/ip_forward=$( (echo 0 >/proc/sys/net/ipv4/ip_forward) 2>&1 | reason)"
echo "write: sysctl -w net.core.somaxconn (to 1)=$(sysctl -w net.core.somaxconn=1 2>&1 | reason)"
echo "after the attempts: ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
# mountinfo: field 5 is the mount point, field 6 the per-mount options.
echo "mount options of /proc=$(awk '$5 == "/proc" {print $6}' /proc/self/mountinfo)"
echo "mount options of /proc/sys=$(awk '$5 == "/proc/sys" {print $6}' /proc/self/mountinfo)"
echo "mount(8) line for /proc/sys=$(mount | grep ' /proc/sys ')"
