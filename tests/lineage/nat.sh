#!/bin/sh
# One packet across a router namespace that forwards it with DNAT and
# masquerade (issue 13): a datagram from the client to the router's port
# 7000 reaches the server's closed port 9 and is dropped there.  The skb is
# the same from the client's send to the server's free, so the trace is
# one packet_id, although the veth into the server's namespace clears its
# input interface (once taken for a new skb at a reused address); the
# ICMP error back to the client is one packet too.  The translation
# changes the headers: each packet has a second EPB, a header snapshot
# taken where the router sends it on, with the addresses after the
# translation, the same packet_id, in time order; the plugin links the
# two; JSON and aggregate show the snapshot on its event.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
need_nft
make_router "ln$$"
router_nat
f=$T/nat.pcapng

start_ipft "$f" -w "$f" -o json 'udp port 7000 or icmp'
ip netns exec "$NS_C" "$NETPEER" udp "$IP_R0" 7000 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

# The first EPB of each of the client's datagrams.
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

# The headers before and after the translation: two EPBs per datagram.
chmod a+r "$f"
tshark_plain -r "$f" -Y "udp && !icmp" -T fields -e frame.packet_id -e frame.interface_name \
	-e ip.src -e ip.dst -e udp.dstport | sort >"$T/epbs.txt"
cat "$T/epbs.txt"
for id in $(cut -f1 "$T/udp.txt"); do
	check "packet $id: its first EPB, $IP_C > $IP_R0 port 7000 on $IF_C" \
		grep -qx "$id	$IF_C	$IP_C	$IP_R0	7000" "$T/epbs.txt"
	check "packet $id: a snapshot, $IP_R1 > $IP_S port 9 on $IF_R1" \
		grep -qx "$id	$IF_R1	$IP_R1	$IP_S	9" "$T/epbs.txt"
done
check "two EPBs per datagram, no more" [ "$(wc -l <"$T/epbs.txt")" -eq 4 ]
check "each ICMP error: a snapshot with the addresses translated back ($IP_R0 > $IP_C)" \
	[ "$(tshark_plain -r "$f" -Y "icmp && ip.src == $IP_R0 && ip.dst == $IP_C" | wc -l)" -eq 2 ]
check "the EPBs' times never go back" sh -c "tshark_plain() { :; }; \
	$TSHARK -r '$f' -Y 'frame.packet_id' -T fields -e frame.time_epoch 2>/dev/null |
	sort -c"
check "each trace flags the event its snapshot was taken at (dump)" \
	[ "$(grep 'name=net_dev_queue snapshot' "$T/dump.txt" | grep -vc 'snapshot=1')" -eq 4 ]
check "each snapshot's own record: flags=snapshot, one event, snapshot=1" \
	[ "$(grep -c '^  TRACE .*flags=snapshot part=0/1 events=1$' "$T/dump.txt")" -eq 4 ]

# The plugin: which step each EPB's headers are from, the frames linked.
tsp -2 -r "$f" -Y "ipft.snapshot" -T fields -e frame.number -e ipft.packet_id -e ipft.snapshot \
	-e ipft.snapshot.event -e ipft.frame -e ipft.snapshots >"$T/plugin.txt"
cat "$T/plugin.txt"
check "plugin: 4 first EPBs (snapshot 0) and 4 snapshots (1), all from net_dev_queue" \
	sh -c "[ \$(awk -F'\t' '\$3 == 0 && \$4 == \"net_dev_queue\" && \$6 == 1' '$T/plugin.txt' | wc -l) -eq 4 ] &&
	       [ \$(awk -F'\t' '\$3 == 1 && \$4 == \"net_dev_queue\"' '$T/plugin.txt' | wc -l) -eq 4 ]"
check "plugin: each EPB links to its packet's other EPB, both ways" awk -F'\t' '
	{ link[$1] = $5 } END { for (f in link) if (link[link[f]] != f) bad++; exit bad > 0 || NR != 8 }' \
	"$T/plugin.txt"
check "plugin: the ICMP errors' snapshots decoded, no malformed" \
	[ "$(tsp -r "$f" -Y "ipft.snapshot == 1 && icmp && !_ws.malformed && !ipft.malformed" | wc -l)" -eq 2 ]

# JSON (on stdout beside the file): the snapshot on its event.
check "JSON: the router's net_dev_queue of each datagram carries its snapshot" \
	[ "$(grep -c "\"function\":\"net_dev_queue\".*\"snapshot\":1,\"snapshot_headers\":\"UDP $IP_R1:[0-9]* > $IP_S:9\",\"snapshot_dev\":\"$IF_R1\"" "$T/ipft.stdout")" -eq 2 ]
finish
