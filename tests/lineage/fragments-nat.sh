#!/bin/sh
# IP fragmentation after an address translation (issue 13): as in
# fragments-forward.sh a 4000-byte UDP datagram without DF leaves the
# client whole (MTU 9000) and the router cuts it for the server's link
# (MTU 1500), but it is sent to the router's port 7000, which DNAT sends
# on to the server's port 9, and masquerade gives it the router's source
# address.  The fragments carry the translated addresses, the datagram as
# the client sent it the original ones: they are matched by protocol, IP
# id and UDP length, which the translation leaves.  Each fragment's parent
# is the datagram; the server's reassembled datagram lists the three.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
need_nft
make_router "lz$$"
router_nat
ip -n "$NS_C" link set "$IF_C" mtu 9000
ip -n "$NS_R" link set "$IF_R0" mtu 9000
f=$T/nat-frag.pcapng

start_ipft "$f" -w "$f" -o json \
	"(udp port 7000 or udp port 9 or (ip[6:2] & 0x1fff != 0)) and (host $IP_C or host $IP_S)"
ip netns exec "$NS_C" "$NETPEER" udp "$IP_R0" 7000 1 - - 4000 nodf || die "netpeer failed"
wait_drops 1 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"

router_fragments "$f" "ip.proto == 17 && !exported_pdu && !icmp" "$IP_C" "$IP_R0"
check_cut_fragments "$f" "$IP_R1" "$IP_S"
finish
