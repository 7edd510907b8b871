#!/bin/sh
# GSO segments (issue 13): with TSO off on A's veth, TCP hands the device
# super-packets that validate_xmit_skb cuts into segments (new skbs)
# after net_dev_queue.  Each super-packet's trace ends there (consume_skb);
# each segment is a packet of its own that enters the trace at
# net_dev_start_xmit and names its super-packet (parent_id, lineage
# segment, segment 0, 1, ...: the same flow, its sequence range inside
# the super-packet's, right after it ended).  The segments are written as
# exported PDUs (they repeat the super-packet's data): Wireshark's TCP
# analysis sees the super-packets, as a capture before segmentation
# would, and flags nothing tcpdump's capture of the segments lacks.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
command -v ethtool >/dev/null || die "ethtool missing: sh tests/setup.sh installs it"
make_pair "lg$$"
ip netns exec "$NS_A" ethtool -K "$IF_A" tso off || die "ethtool"
ip netns exec "$NS_A" tcpdump --immediate-mode -U -i "$IF_A" -s 128 -w "$T/tcpdump.pcap" \
	"tcp port 7003" 2>"$T/tcpdump.err" &
add_cleanup "kill $!"
tdp=$!
until grep -q listening "$T/tcpdump.err" 2>/dev/null; do sleep 0.1; done
f=$T/gso.pcapng
start_ipft "$f" -w "$f" --netns "/run/netns/$NS_A" "tcp port 7003"
ip netns exec "$NS_B" "$NETPEER" tcp-server 7003 >"$T/server" &
srv=$!
until grep -q listening "$T/server" 2>/dev/null; do sleep 0.1; done
ip netns exec "$NS_A" "$NETPEER" tcp-send "$IP_B" 7003 100000 || die "tcp-send failed"
wait "$srv" || true
sleep 0.5
kill "$tdp"; wait "$tdp" || true
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f" "$T/tcpdump.pcap"

# (an exported PDU's TCP, decoded as an ICMP error's, has no tcp.len:
# the data length is worked out from the IP and TCP header lengths)
tsp -r "$f" -Y "tcp && ip.src == $IP_A" -T fields -e ipft.packet_id \
	-e ipft.parent_id -e ipft.lineage -e ipft.segment -e tcp.seq_raw -e ip.len \
	-e exported_pdu.prot_name -e ip.hdr_len -e tcp.hdr_len |
	awk -F'\t' -v OFS='\t' '{ split($6, l, ","); split($8, h, ","); $6 = l[1] - h[1] - $9 }
		$6 > 0 { NF = 7; print }' >"$T/data.txt"
supers=$(awk -F'\t' '$2 == "" && $6 > 1448' "$T/data.txt" | wc -l)
segs=$(awk -F'\t' '$3 == "segment"' "$T/data.txt" | wc -l)
echo "$supers super-packets, $segs segments"
check "super-packets were traced ($supers)" [ "$supers" -gt 0 ]
check "each segment names a super-packet of the trace" awk -F'\t' '
	$2 == "" { id[$1 ""] = 1 } $3 == "segment" { if (!($2 "" in id)) bad++; n++ }
	END { exit bad > 0 || n == 0 }' "$T/data.txt"
check "a super-packet's segments lie in its sequence range, numbered from 0" awk -F'\t' '
	$2 == "" { s[$1 ""] = $5; e[$1 ""] = $5 + $6 }
	$3 == "segment" { p = $2 ""; if ($5 < s[p] || $5 + $6 > e[p]) bad++
			   if ($4 != (($5 - s[p]) / 1448)) bad++ }
	END { exit bad > 0 }' "$T/data.txt"
check "the segments are exported PDUs" \
	[ "$(awk -F'\t' '$3 == "segment" && $7 != "ipft_snap_eth"' "$T/data.txt" | wc -l)" -eq 0 ]
n=$(tshark_plain -r "$T/tcpdump.pcap" -Y "tcp.len > 0" | wc -l)
check "tcpdump saw the segments ($n), as many as ipft ($segs) plus the data sent whole" \
	[ "$n" -ge "$segs" ]
check "no TCP analysis flag in ipft's file tcpdump's capture lacks" sh -c "
	[ \$(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME='$T/home' '$TSHARK' -r '$f' \
		-Y 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack || tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment' 2>/dev/null | wc -l) -le \
	  \$(tshark -r '$T/tcpdump.pcap' -Y 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack || tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment' 2>/dev/null | wc -l) ]"
finish
