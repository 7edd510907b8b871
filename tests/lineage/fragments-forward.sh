#!/bin/sh
# IP fragmentation on forwarding (issue 13): a 4000-byte UDP datagram
# without DF leaves the client whole (MTU 9000 to the router) and the
# router cuts it for the server's link (MTU 1500).  ip_do_fragment's
# fragments are new skbs, the first one too (the forwarded datagram is
# consumed): each is a packet of its own whose parent is the datagram as
# it left the client (lineage fragment, fragment_offset 0, 1480, 2960:
# matched by source, destination, protocol and IP id, the datagram seen
# whole first).  The server reassembles them into a datagram that lists
# the three and ends at its closed port (NO_SOCKET).
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
make_router "lw$$"
ip -n "$NS_C" link set "$IF_C" mtu 9000
ip -n "$NS_R" link set "$IF_R0" mtu 9000
f=$T/fwd.pcapng

start_ipft "$f" -w "$f" -o json \
	"(udp port 9 or (ip[6:2] & 0x1fff != 0)) and host $IP_S"
ip netns exec "$NS_C" "$NETPEER" udp "$IP_S" 9 1 - - 4000 nodf || die "netpeer failed"
wait_drops 1 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"

router_fragments "$f" "ip.src == $IP_C && ip.dst == $IP_S && !exported_pdu" "$IP_C" "$IP_S"
check_cut_fragments "$f" "$IP_C" "$IP_S"
check "... and ends at the closed port" grep -q "	reassembled		.*kfree_skb (NO_SOCKET)\$" "$T/pkts.txt"
check "JSON: the fragments' lines name the datagram" \
	[ "$(grep -o "\"parent_id\":\"$DGRAM\",\"lineage\":\"fragment\",\"fragment_offset\":[0-9]*" \
		"$T/ipft.stdout" | sort -u | wc -l)" -eq 3 ]
finish
