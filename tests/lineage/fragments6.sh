#!/bin/sh
# IPv6 fragmentation (issue 13): a 4000-byte UDP datagram over IPv6 on a
# veth with MTU 1500 leaves A as three fragments (offsets 0, 1448, 2896).
# As with IPv4 (fragments.sh), the fragments at 1448 and 2896 are packets
# of their own that name the first (lineage fragment, matched by
# addresses and the fragment header's id).  B reassembles them in the skb
# of the fragment that came last, and removes the fragment header: from
# its next hit on, the datagram is a packet of its own (lineage
# reassembled, parent that fragment) that lists the three fragments,
# found by that parent (the id went with the header), and ends where the
# datagram ends (NO_SOCKET, in __udp6_lib_rcv).
#
# Twice: then with a hop-by-hop options header before the fragment header
# (offsets 0, 1440, 2880): the fragments are found after it, and the
# reassembled datagram, whose hop-by-hop header then names UDP, is told
# from its fragments the same way.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
make_pair "l6$$"
A6=fd00:16::1 B6=fd00:16::2
pair_ipv6 "$A6" "$B6"

# One datagram sent with OPTS (netpeer's: "" or hbh), traced to its drop.
fragments6() {
	opts=$1 f=$T/frag6$1.pcapng
	start_ipft "$f" -w "$f" -o json --netns "/run/netns/$NS_A" \
		"ip6 and (udp port 9 or ip6[6] == 44 or ip6[6] == 0)"
	ip netns exec "$NS_A" "$NETPEER" udp "$B6" 9 1 - - 4000 $opts || die "netpeer failed"
	wait_drops 1 "$f"
	stop_ipft INT
	check "$opts: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	chmod a+r "$f"
	tsp -2 -r "$f" -Y "ipv6.src == $A6 && ipv6.dst == $B6 && !exported_pdu" -T fields \
		-e ipft.packet_id -e ipv6.fraghdr.offset -e ipv6.fraghdr.more -e ipft.parent_id \
		-e ipft.lineage -e ipft.fragment_offset -e ipft.path >"$T/frags.txt"
	cat "$T/frags.txt"
	check "$opts: three fragments and the reassembled datagram, four packets" \
		[ "$(cut -f1 "$T/frags.txt" | sort -u | wc -l)" -eq 4 ]
	dgram=$(awk -F'\t' '$2 == "0" && $3 == "1" { print $1 }' "$T/frags.txt")
	check "$opts: the first fragment is the datagram itself: no parent ($dgram)" \
		sh -c "[ -n '$dgram' ] && grep -q '^$dgram	0	1		' '$T/frags.txt'"
	# The fragment header's offset in tshark's field: in units of 8 bytes.
	check "$opts: fragment at $2: a packet of its own, parent the datagram" \
		grep -q "	$(($2 / 8))	1	$dgram	fragment	$2	" "$T/frags.txt"
	check "$opts: fragment at $3: a packet of its own, parent the datagram" \
		grep -q "	$(($3 / 8))	0	$dgram	fragment	$3	" "$T/frags.txt"
	last=$(awk -F'\t' -v o=$(($3 / 8)) '$2 == o { print $1 }' "$T/frags.txt")
	check "$opts: the reassembled datagram: a packet of its own, parent the fragment that came last" \
		grep -q "^0x[0-9a-f]*			$last	reassembled		.*kfree_skb (NO_SOCKET)\$" "$T/frags.txt"
	check "$opts: ... and only it ends in NO_SOCKET" \
		[ "$(grep -c 'kfree_skb (NO_SOCKET)$' "$T/frags.txt")" -eq 1 ]
	tsp -r "$f" -Y 'ipft.lineage == "reassembled"' -T fields -E separator=, \
		-e ipft.fragment_id >"$T/ids.txt"
	frag_ids=$(awk -F'\t' '$2 != "" { print $1 }' "$T/frags.txt" | paste -sd, -)
	check "$opts: it lists the three fragments ($(cat "$T/ids.txt"))" \
		[ "$(cat "$T/ids.txt")" = "$frag_ids" ]
	check "$opts: JSON: the reassembled datagram's lines list the fragments" \
		grep -q "\"parent_id\":\"$last\",\"lineage\":\"reassembled\",\"fragment_ids\":\[\"$dgram\"," \
		"$T/ipft.stdout"
}

fragments6 "" 1448 2896
fragments6 hbh 1440 2880
tsp -r "$T/frag6hbh.pcapng" -Y 'ipv6.hopopts && ipv6.fraghdr' -T fields -e frame.number >"$T/hbh.txt"
check "hbh: the fragments carry the hop-by-hop header before the fragment header" \
	[ "$(wc -l <"$T/hbh.txt")" -ge 3 ]
finish
