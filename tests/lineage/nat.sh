#!/bin/sh
# One packet across a router namespace that forwards it with DNAT and
# masquerade (issue 13): a datagram from the client to the router's port
# 7000 reaches the server's closed port 9 and is dropped there.  The skb is
# the same from the client's send to the server's free, so the trace is
# one packet_id, although the veth into the server's namespace clears its
# input interface (once taken for a new skb at a reused address); the
# ICMP error back to the client is one packet too.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
need_tracing
need_nft
make_router "ln$$"
router_nat
f=$T/nat.pcapng

start_ipft "$f" -w "$f" 'udp port 7000 or icmp'
ip netns exec "$NS_C" "$NETPEER" udp "$IP_R0" 7000 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

# Every EPB of the client's datagrams, by packet id.
tshark_plain -r "$f" -Y "ip.src == $IP_C && udp.dstport == 7000 && !icmp" -T fields \
	-e frame.packet_id -e frame.interface_name -e frame.comment >"$T/udp.txt"
cat "$T/udp.txt"
ids=$(cut -f1 "$T/udp.txt" | sort -u | wc -l)
check "two datagrams, two packet ids ($ids)" [ "$ids" -eq 2 ]
check "captured where the client sends them ($IF_C)" \
	[ "$(cut -f2 "$T/udp.txt" | sort -u)" = "$IF_C" ]
# The path of each: sent by the client, received and sent again by the
# router, received by the server, dropped there.
path='^net_dev_queue > net_dev_start_xmit > .*netif_rx_entry > .*net_dev_queue > '
path="$path"'net_dev_start_xmit > .*netif_rx_entry > .*kfree_skb (NO_SOCKET)$'
check "each path runs from the client's send to the server's drop" \
	[ "$(cut -f3 "$T/udp.txt" | sed 's/\[[^]]*\] //g' | grep -c "$path")" -eq 2 ]
# No packet starts in the server's namespace: nothing but the two
# datagrams and their two ICMP errors was traced from these addresses.
tshark_plain -r "$f" -Y "ip.addr == $IP_S || ip.addr == $IP_C" -T fields \
	-e frame.packet_id >"$T/all.txt"
check "four packets in all ($(sort -u "$T/all.txt" | wc -l))" \
	[ "$(sort -u "$T/all.txt" | wc -l)" -eq 4 ]
tshark_plain -r "$f" -Y "icmp && ip.src == $IP_S" -T fields -e frame.comment >"$T/icmp.txt"
check "each ICMP error runs from the server to the client" \
	[ "$(sed 's/\[[^]]*\] //g' "$T/icmp.txt" | grep -c '^net_dev_queue > .*netif_rx_entry > .*net_dev_queue > .*netif_rx_entry > .*consume_skb$')" -eq 2 ]
"$DUMP" "$f" >"$T/dump.txt"
check "no skb address taken for reused (STATS)" grep -q 'reused_skb_addresses=0 ' "$T/dump.txt"
finish
