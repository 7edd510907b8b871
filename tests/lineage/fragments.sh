#!/bin/sh
# IP fragmentation (issue 13): a 4000-byte UDP datagram over a veth with
# MTU 1500 leaves A as three fragments.  The datagram's own skb becomes
# its first fragment (offset 0); the other two are new skbs, each a
# packet of its own that names the datagram (parent_id, lineage fragment,
# fragment_offset 1480 and 2960: matched by source, destination, protocol
# and IP id).  B reassembles them into the skb of the fragment that came
# last: from its next hit on, the reassembled datagram is a packet of its
# own (lineage reassembled, its parent that fragment) that lists the
# three fragments (fragment_id) and ends where the datagram ends
# (NO_SOCKET).
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
make_pair "lf$$"
f=$T/frag.pcapng

start_ipft "$f" -w "$f" -o json --netns "/run/netns/$NS_A" "udp port 9 or (ip[6:2] & 0x1fff != 0)"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 - - 4000 || die "netpeer failed"
wait_drops 1 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"

tsp -2 -r "$f" -Y "ip.src == $IP_A && ip.dst == $IP_B && !exported_pdu" -T fields \
	-e ipft.packet_id -e ip.frag_offset -e ip.flags.mf -e ipft.parent_id -e ipft.lineage \
	-e ipft.fragment_offset -e ipft.parent_frame -e ipft.child_frame -e ipft.path >"$T/frags.txt"
cat "$T/frags.txt"
check "three fragments and the reassembled datagram, four packets" \
	[ "$(cut -f1 "$T/frags.txt" | sort -u | wc -l)" -eq 4 ]
dgram=$(awk -F'\t' '$2 == 0 && $3 == 1 { print $1 }' "$T/frags.txt")
check "the first fragment is the datagram itself: no parent ($dgram)" \
	sh -c "[ -n '$dgram' ] && grep -q '^$dgram	0	1		' '$T/frags.txt'"
check "fragment at 1480: a packet of its own, parent the datagram" \
	grep -q "	185	1	$dgram	fragment	1480	" "$T/frags.txt"
check "fragment at 2960: a packet of its own, parent the datagram" \
	grep -q "	370	0	$dgram	fragment	2960	" "$T/frags.txt"
check "the datagram's EPB links to both fragments, each fragment to it" awk -F'\t' '
	$4 == "" && split($8, c, ",") < 2 { bad++ } $4 != "" && $7 == "" { bad++ }
	END { exit bad > 0 }' "$T/frags.txt"
check "'ipft.packet_id == $dgram || ipft.parent_id == $dgram' finds the three" \
	[ "$(tsp -r "$f" -Y "ipft.packet_id == $dgram || ipft.parent_id == $dgram" | wc -l)" -eq 3 ]
last=$(awk -F'\t' '$2 == 370 { print $1 }' "$T/frags.txt")
check "the reassembled datagram: a packet of its own, parent the fragment that came last" \
	grep -q "^0x[0-9a-f]*	0	0	$last	reassembled		[0-9]*		icmp_send > kfree_skb (NO_SOCKET)\$" \
	"$T/frags.txt"
check "... and only it ends in NO_SOCKET" [ "$(grep -c 'kfree_skb (NO_SOCKET)$' "$T/frags.txt")" -eq 1 ]
tsp -r "$f" -Y 'ipft.lineage == "reassembled"' -T fields -E separator=, -e ipft.fragment_id >"$T/ids.txt"
frag_ids=$(awk -F'\t' '$2 != 0 || $3 == 1 { print $1 }' "$T/frags.txt" | paste -sd, -)
check "it lists the three fragments ($(cat "$T/ids.txt"))" [ "$(cat "$T/ids.txt")" = "$frag_ids" ]
check "'ipft.fragment_id == $dgram' finds it" \
	[ "$(tsp -r "$f" -Y "ipft.fragment_id == $dgram" | wc -l)" -eq 1 ]
check "JSON: the fragments' lines name the datagram and their offsets" \
	[ "$(grep -c "\"parent_id\":\"$dgram\",\"lineage\":\"fragment\",\"fragment_offset\":\(1480\|2960\)" "$T/ipft.stdout")" -gt 2 ]
check "JSON: the reassembled datagram's lines list the fragments" \
	grep -q "\"parent_id\":\"$last\",\"lineage\":\"reassembled\",\"fragment_ids\":\[\"$dgram\"," "$T/ipft.stdout"
finish
