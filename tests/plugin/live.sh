#!/bin/sh
# The plugin over traces ipft records live: a UDP datagram to a closed port
# between two namespaces, read back from a file and from a live pipe
# (ipft -w - | tshark -i -).
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_root
NETPEER=$top_builddir/tests/tracer/netpeer
[ -x "$IPFT" ] && [ -x "$NETPEER" ] || die "ipft or netpeer not built"
make_pair "ipl$$"

# A file: 3 datagrams to a closed port, then stop.
start_ipft "$T/live.pcapng" -w "$T/live.pcapng" --netns "/run/netns/$NS_A"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3
i=0; while [ $i -lt 50 ] && ! "$DUMP" "$T/live.pcapng" 2>/dev/null | grep -q 'NO_SOCKET'; do
	sleep 0.1; i=$((i + 1)); done
stop_ipft INT
check "ipft stopped cleanly (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$T/live.pcapng"
tsp -r "$T/live.pcapng" -Y 'udp.dstport == 9 && ipft.drop_reason == "NO_SOCKET"' \
	-T fields -e ipft.packet_id -e frame.packet_id -e ipft.func -e ipft.drop_location >"$T/drops"
cat "$T/drops"
check "the three datagrams show drop reason NO_SOCKET" sh -c "[ \$(grep -c . '$T/drops') = 3 ]"
check "each passed netif_receive_skb and ended in kfree_skb" \
	sh -c "[ \$(grep -c 'netif_receive_skb.*kfree_skb' '$T/drops') = 3 ]"
check "the drop location is a symbol in the UDP receive path" \
	sh -c "[ \$(grep -Ec '	[_a-z0-9]*udp[_a-z0-9]*\+0x[0-9a-f]+$' '$T/drops') = 3 ]"
check "three distinct packet ids, each equal to epb_packetid" sh -c \
	"[ \$(cut -f1 '$T/drops' | sort -u | wc -l) = 3 ] && [ \$($AS_USER env HOME=$T/home $TSHARK -r '$T/live.pcapng' -Y 'ipft.packet_id == frame.packet_id && udp.dstport == 9 && !icmp' 2>/dev/null | wc -l) = 3 ]"
tsp -r "$T/live.pcapng" -q -z expert,warn >"$T/expert"
check "expert info names the drop" grep -q 'Dropped: NO_SOCKET at ' "$T/expert"

# A live pipe: every packet arrives with its trace.
mkdir -m 777 "$T/pipe"
( "$IPFT" -v -w - --duration 6 --netns "/run/netns/$NS_A" 2>"$T/pipe/ipft.err" |
	$AS_USER env HOME="$T/home" "$TSHARK" -i - -l -T fields -e frame.number -e udp.dstport \
		-e ipft.path >"$T/pipe/out" 2>"$T/pipe/tshark.err" ) &
pipe_pid=$!
add_cleanup "kill $pipe_pid"
i=0; while [ $i -lt 100 ] && ! grep -q 'tracing; Ctrl-C' "$T/pipe/ipft.err" 2>/dev/null; do
	sleep 0.1; i=$((i + 1)); done
for n in 1 2 3 4; do
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1
	sleep 0.3
done
i=0; while [ $i -lt 150 ] && kill -0 $pipe_pid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
check "ipft -w - | tshark -i - shows every packet with its trace" \
	sh -c "[ \$(grep -c '	9	.*kfree_skb (NO_SOCKET)' '$T/pipe/out') -ge 4 ]"
finish
