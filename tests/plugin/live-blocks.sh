#!/bin/sh
# --trace-blocks files ipft writes live, read by tshark with the plugin (as
# an unprivileged user): three datagrams to a closed port and one to a
# socket nobody reads (partial at exit).  Each trace is a Custom Block
# right before its packet; the block's packet id is the packet's own
# epb_packetid (as tshark reads it, frame.packet_id); the plugin attaches
# the block's trace to that packet (path, events, drop, partial note).
set -eu
. "$top_srcdir/tests/tracer/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
make_pair "ik$$"
f=$T/blocks.pcapng

start_ipft "$f" -w "$f" --trace-blocks --netns "/run/netns/$NS_A" udp
udp_sink 7001
add_cleanup "kill $!"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7001 1 || die "netpeer failed"
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"

# The reader's view: every trace block is followed by the EPB of its packet.
"$DUMP" "$f" >"$T/dump.txt"
awk '/^  TRACE / { id = $2; sub(/packet_id=/, "", id) }
     /^EPB / { for (i = 1; i <= NF; i++) if ($i ~ /^packetid=/) { e = $i; sub(/packetid=/, "", e) }
	       print id, e; id = "" }' "$T/dump.txt" >"$T/dump.pairs"
cat "$T/dump.pairs"
check "pcapng-dump: four EPBs, each right after the trace block with its packet id" \
	[ "$(awk '$1 "" == $2 "" && $1 ~ /^0x[0-9a-f]+$/ && length($1) == 18' "$T/dump.pairs" | wc -l)" -eq 4 ]
check "pcapng-dump: no EPB carries the trace as an option" sh -c "! grep -q '^EPB .*custom2989' '$T/dump.txt'"

# The plugin's view.
tsp -r "$f" -Y 'ipft.block.record == "trace"' -T fields -e frame.number -e ipft.block.packet_id \
	-e ipft.block.events -e ipft.block.path >"$T/blocks.txt"
cat "$T/blocks.txt" "$T/tsp.err"
check "plugin: four trace blocks" [ "$(wc -l <"$T/blocks.txt")" -eq 4 ]
ok=1
while IFS='	' read -r n id events path; do
	# the frame whose epb_packetid is the block's packet id
	tsp -r "$f" -Y "frame.packet_id == $id" -T fields -e frame.number -e ipft.packet_id \
		-e ipft.events -e ipft.path -e frame.comment >"$T/epb.txt"
	printf '  block %s -> %s' "$n" "$(cat "$T/epb.txt")"; echo
	[ "$(cat "$T/epb.txt")" = "$((n + 1))	$id	$events	$path	$path" ] || ok=0
done <"$T/blocks.txt"
check "plugin: each block's packet id is epb_packetid of the next frame, which shows the block's trace" \
	[ $ok -eq 1 ]
check "plugin: ipft.packet_id == frame.packet_id on the four packets" \
	[ "$(tsp -r "$f" -Y 'ipft.packet_id == frame.packet_id' | wc -l)" -eq 4 ]
tsp -r "$f" -Y 'udp && !icmp' -T fields -e udp.dstport -e ipft.drop_reason -e ipft.partial \
	-e _ws.expert.message >"$T/packets.txt"
cat "$T/packets.txt"
check "plugin: the three dropped datagrams with reason and the drop warning" \
	[ "$(grep -c '^9	NO_SOCKET	0	.*,Dropped: NO_SOCKET at [_a-z0-9]*+0x[0-9a-f]*$' "$T/packets.txt")" -eq 3 ]
check "plugin: the queued datagram is partial, with the note" \
	[ "$(grep -c '^7001		1	.*,Partial trace: the packet was still alive when ipft wrote it$' "$T/packets.txt")" -eq 1 ]
check "plugin: ipft.* filters match the packets, not the blocks" \
	[ "$(tsp -r "$f" -Y 'ipft.func == "netif_receive_skb"' -T fields -e _ws.col.Protocol | sort | uniq -c | sed 's/^ *//')" = "4 UDP" ]
finish
