#!/bin/sh
# IPv6, live: UDP datagrams over IPv6 between two namespaces.
# 1. A pcap filter on IPv6 ('ip6 and udp port 9') takes exactly the IPv6
#    datagrams to port 9 (not those to port 10, not IPv4 ones to port 9):
#    each is in the file as an Ethernet/IPv6/UDP packet with its whole
#    header, its path ending in kfree_skb (NO_SOCKET) in __udp6_lib_rcv.
# 2. The address shortcuts take IPv6 addresses (--saddr/--daddr), and the
#    aggregate listing's summary line names the IPv6 endpoints.
# 3. The plugin shows the drop, its packet id equal to epb_packetid.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "i6$$"
A6=fd00:6::1 B6=fd00:6::2
pair_ipv6 "$A6" "$B6"
ns=/run/netns/$NS_A
PATH_RE='^net_dev_queue > .*netif_receive_skb > kfree_skb (NO_SOCKET)$'

# 1. A filter on IPv6.  Non-matching traffic goes first: once the matching
# datagrams are in the file, traced ones sent before them would be too.
f=$T/v6.pcapng
start_ipft "$f" -w "$f" --netns "$ns" 'ip6 and udp port 9'
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 || die "netpeer (IPv4) failed"
ip netns exec "$NS_A" "$NETPEER" udp "$B6" 10 2 || die "netpeer (IPv6, port 10) failed"
ip netns exec "$NS_A" "$NETPEER" udp "$B6" 9 3 || die "netpeer (IPv6, port 9) failed"
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
tshark_plain -r "$f" -Y frame.packet_id -T fields -e frame.protocols -e ipv6.src -e ipv6.dst -e udp.dstport \
	-e frame.len -e frame.cap_len -e frame.interface_name -e frame.comment >"$T/v6.txt"
cat "$T/v6.txt"
check "'ip6 and udp port 9': exactly three packets in the file" \
	sh -c "[ \$(wc -l <'$T/v6.txt') -eq 3 ] && [ \$('$DUMP' '$f' | grep -c '^EPB') -eq 3 ]"
check "each an Ethernet/IPv6/UDP datagram from $A6 to $B6 port 9, 80 bytes, all captured, on $IF_A" \
	[ "$(grep -c "^eth:ethertype:ipv6:udp:data	$A6	$B6	9	80	80	$IF_A	" "$T/v6.txt")" -eq 3 ]
check "each path starts where A sends it and ends in kfree_skb (NO_SOCKET)" \
	[ "$(cut -f8 "$T/v6.txt" | grep -c "$PATH_RE")" -eq 3 ]
"$DUMP" "$f" >"$T/v6.dump"
check "the dump: three drops, reason NO_SOCKET in __udp6_lib_rcv" \
	[ "$(grep -c 'name=kfree_skb free reason_code=[0-9]* reason=NO_SOCKET location=__udp6_lib_rcv+0x[0-9a-f]*$' "$T/v6.dump")" -eq 3 ]
check "the dump: three complete traces, three distinct packet ids" \
	[ "$(grep '^  TRACE .*flags=complete' "$T/v6.dump" | cut -d' ' -f4 | sort -u | wc -l)" -eq 3 ]
check "the dump: the shell header records the expression" \
	grep -q '^SHB .*comment="ipft trace: .* ip6 and udp port 9; backend ' "$T/v6.dump"

# 2. IPv6 address shortcuts with the aggregate listing: A to B matches;
# B to A (source B6) and IPv4 do not.
start_ipft - -o aggregate --netns "$ns" --saddr "$A6" --daddr "$B6" --proto udp
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 || die "netpeer (IPv4) failed"
ip netns exec "$NS_B" "$NETPEER" udp "$A6" 9 2 || die "netpeer (B to A) failed"
ip netns exec "$NS_A" "$NETPEER" udp "$B6" 9 2 - 20006 || die "netpeer (A to B) failed"
i=0
while [ "$(grep -c 'reason=NO_SOCKET' "$T/ipft.stdout")" -lt 2 ] && [ $i -lt 50 ]; do
	i=$((i + 1)); sleep 0.1
done
stop_ipft INT
cp "$T/ipft.stdout" "$T/agg.txt"
cat "$T/agg.txt"
check "--saddr/--daddr IPv6: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "--saddr/--daddr IPv6: exactly two packets listed" [ "$(grep -c '^===$' "$T/agg.txt")" -eq 2 ]
check "aggregate: the summary names the IPv6 endpoints and ports" \
	[ "$(grep -c "^packet_id: 0x[0-9a-f]\{16\}  UDP \[$A6\]:20006 > \[$B6\]:9  ($IF_A, netns [0-9]*)$" "$T/agg.txt")" -eq 2 ]
check "aggregate: each ends in kfree_skb, reason NO_SOCKET in __udp6_lib_rcv" \
	[ "$(grep -c '^ *[0-9]*\.[0-9]\{9\} [0-9]\{4\} kfree_skb  reason=NO_SOCKET location=__udp6_lib_rcv+0x[0-9a-f]*$' "$T/agg.txt")" -eq 2 ]

# 3. The plugin (when built) over the file of 1.
if [ -f "${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}" ]; then
	. "$top_srcdir/tests/plugin/plugin-lib.sh"
	chmod a+r "$f"
	tsp -r "$f" -Y 'ipft.drop_reason == "NO_SOCKET" && ipft.packet_id == frame.packet_id' \
		-T fields -e ipv6.dst -e udp.dstport -e ipft.drop_location -e ipft.path \
		-e frame.comment >"$T/plugin.txt"
	cat "$T/plugin.txt" "$T/tsp.err"
	check "plugin: three IPv6 drops (NO_SOCKET, packet id = epb_packetid)" \
		[ "$(grep -c "^$B6	9	__udp6_lib_rcv+0x[0-9a-f]*	" "$T/plugin.txt")" -eq 3 ]
	check "plugin: its path is the packet comment" \
		[ "$(awk -F'\t' '$4 == $5' "$T/plugin.txt" | cut -f4 | grep -c "$PATH_RE")" -eq 3 ]
	tsp -r "$f" -q -z expert,warn >"$T/expert"
	check "plugin: the expert info names the drop in __udp6_lib_rcv" \
		grep -Eq '^ +3 +Sequence +ipft +Dropped: NO_SOCKET at __udp6_lib_rcv\+0x[0-9a-f]+$' "$T/expert"
else
	echo "the plugin is not built: its checks are left out"
fi
finish
