#!/bin/sh
# Clones (issue 13): while tcpdump captures both ends of a veth pair, each
# datagram is cloned on its way out of A (dev_queue_xmit_nit), and the
# clone copied to tcpdump's ring and freed: its free is the only attach
# point it passes.  (On the way into B the tap takes a reference and
# copies the skb itself: no clone.)  The clone is a packet of its own,
# one event, that names its parent (parent_id, lineage clone); written
# as an exported PDU, as it repeats its parent's headers.  A tshark filter
# on the datagram's id finds it and its clone; JSON says it too.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
command -v tcpdump >/dev/null || die "tcpdump missing: sh tests/setup.sh installs it"
make_pair "lc$$"

tap() {
	ip netns exec "$1" tcpdump --immediate-mode -U -i "$2" -w "$T/$2.pcap" "udp port 9" \
		2>"$T/$2.err" &
	add_cleanup "kill $!"
	i=0
	until grep -q listening "$T/$2.err" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || die "tcpdump did not start"
		sleep 0.1
	done
}
tap "$NS_A" "$IF_A"
tap "$NS_B" "$IF_B"
f=$T/clones.pcapng
start_ipft "$f" -w "$f" -o json --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"

tsp -2 -r "$f" -Y "ipft && !icmp && udp.dstport == 9" -T fields -e ipft.packet_id \
	-e ipft.parent_id -e ipft.lineage -e ipft.path -e frame.interface_name \
	-e ipft.parent_frame -e ipft.child_frame >"$T/all.txt"
cat "$T/all.txt"
awk -F'\t' '$2 == ""' "$T/all.txt" >"$T/datagrams.txt"
awk -F'\t' '$2 != ""' "$T/all.txt" >"$T/clones.txt"
check "two datagrams, each one packet to its drop" \
	[ "$(grep -c 'kfree_skb' "$T/datagrams.txt")" -eq 2 ]
check "two clones, each one event (its free), lineage clone" \
	[ "$(awk -F'\t' '$3 == "clone" && $4 == "consume_skb"' "$T/clones.txt" | wc -l)" -eq 2 ]
for id in $(cut -f1 "$T/datagrams.txt"); do
	check "$id: one clone, on A's veth" \
		[ "$(awk -F'\t' -v p="$id" -v i="$IF_A" '$2 "" == p "" && $5 == i' "$T/clones.txt" | wc -l)" -eq 1 ]
done
check "each datagram links to its clone, each clone to its datagram" awk -F'\t' '
	$2 == "" && $7 == "" { bad++ } $2 != "" && $6 == "" { bad++ } END { exit bad > 0 }' \
	"$T/all.txt"
id=$(head -1 "$T/datagrams.txt" | cut -f1)
check "'ipft.packet_id == $id || ipft.parent_id == $id' finds the datagram and its clones" \
	[ "$(tsp -r "$f" -Y "ipft.packet_id == $id || ipft.parent_id == $id" | wc -l)" -eq 2 ]
check "the clones are exported PDUs, left out of Wireshark's analyses" \
	[ "$(tsp -r "$f" -Y "ipft.lineage == \"clone\" && exported_pdu" | wc -l)" -eq 2 ]
check "tcpdump captured each datagram on both veths" sh -c \
	"[ \$(tshark -r '$T/$IF_A.pcap' 2>/dev/null | wc -l) -eq 2 ] && [ \$(tshark -r '$T/$IF_B.pcap' 2>/dev/null | wc -l) -eq 2 ]"
check "JSON: each clone's line names its parent" \
	[ "$(grep -c "\"function\":\"consume_skb\".*\"parent_id\":\"$id\",\"lineage\":\"clone\"" "$T/ipft.stdout")" -eq 1 ]
finish
