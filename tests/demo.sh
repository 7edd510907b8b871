#!/bin/sh
# demo.sh - the README's main command: install what is missing, build, then
# trace real traffic between two network namespaces with ipft and show the
# result the way a user sees it: tshark with the ipft Wireshark plugin.
#
#   sh tests/demo.sh [OUTPUT.pcapng]      (as root; default ./demo.pcapng)
#
# Traffic: a UDP datagram to a closed port (dropped: NO_SOCKET), a TCP
# connection to a listening port, and a TCP connection to a closed port.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-demo.pcapng}")
build=${IPFT_BUILD:-$top/build}

[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (it installs packages and loads BPF programs)" >&2; exit 1; }
sh "$top/tests/setup.sh"
ipft=$build/tracer/ipft

ns_a=ipft-demo-a ns_b=ipft-demo-b
cleanup() {
	[ -n "${ipft_pid:-}" ] && kill "$ipft_pid" 2>/dev/null || true
	[ -n "${srv_pid:-}" ] && kill "$srv_pid" 2>/dev/null || true
	ip netns del $ns_a 2>/dev/null || true
	ip netns del $ns_b 2>/dev/null || true
	rm -rf "${home:-}"
}
trap cleanup EXIT
cleanup
ip netns add $ns_a
ip netns add $ns_b
ip link add demo-a netns $ns_a type veth peer demo-b netns $ns_b
ip -n $ns_a addr add 10.250.0.1/24 dev demo-a
ip -n $ns_b addr add 10.250.0.2/24 dev demo-b
for ns in $ns_a $ns_b; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n $ns link set lo up
done
ip -n $ns_a link set demo-a up
ip -n $ns_b link set demo-b up

echo "\$ ipft -w $out --netns /run/netns/$ns_a"
"$ipft" -v -w "$out" --netns /run/netns/$ns_a 2>"$out.log" &
ipft_pid=$!
until grep -q 'tracing; Ctrl-C' "$out.log"; do
	kill -0 $ipft_pid 2>/dev/null || { cat "$out.log"; exit 1; }
	sleep 0.2
done

# The traffic comes from a tiny test program (bash has no TCP listener).
make -s -C "$build" tests/tracer/netpeer
peer=$build/tests/tracer/netpeer
ip netns exec $ns_b "$peer" tcp-server 8080 &
srv_pid=$!
sleep 0.3
echo "(sending: a UDP datagram to closed port 9, a TCP connection to port 8080, one to closed port 8081)"
ip netns exec $ns_a "$peer" udp 10.250.0.2 9 1
ip netns exec $ns_a "$peer" tcp-client 10.250.0.2 8080
ip netns exec $ns_a "$peer" tcp-client 10.250.0.2 8081 2>/dev/null || true
sleep 1
kill -INT $ipft_pid
wait $ipft_pid || true
ipft_pid=
tail -n 1 "$out.log"

# tshark loads a plugin from a personal folder only when not run as root.
so=$(find "$build/wireshark-plugin" -name ipft.so -path '*.libs*' 2>/dev/null | head -1)
[ -n "$so" ] || so=$(find "$build/wireshark-plugin" -name ipft.so 2>/dev/null | head -1)
home=$(mktemp -d)
majmin=$(pkg-config --modversion wireshark | cut -d. -f1,2)
install -D -m 0644 "$so" "$home/.local/lib/wireshark/plugins/$majmin/epan/ipft.so"
cp "$out" "$home/demo.pcapng"
chmod -R a+rX "$home"
ts() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$home" tshark -r "$home/demo.pcapng" "$@"; }

echo
echo "\$ tshark -r $(basename "$out")          # with the ipft plugin"
ts
echo
echo "\$ tshark -r $(basename "$out") -Y ipft.drop_reason -T fields -e frame.number -e ip.dst -e udp.dstport -e tcp.dstport -e ipft.drop_reason -e ipft.drop_location"
ts -Y ipft.drop_reason -T fields -e frame.number -e ip.dst -e udp.dstport -e tcp.dstport \
	-e ipft.drop_reason -e ipft.drop_location
first=$(ts -Y 'ipft.drop_reason == "NO_SOCKET"' -T fields -e frame.number | head -1)
if [ -n "$first" ]; then
	echo
	echo "\$ tshark -r $(basename "$out") -Y 'frame.number == $first' -O ipft    # the dropped datagram's kernel path"
	ts -Y "frame.number == $first" -O ipft | sed -n '/^\[ipft/,$p'
fi
echo
echo "Open it in Wireshark: wireshark $out (install the plugin: docs/wireshark-plugin.md)"
