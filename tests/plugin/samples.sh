#!/bin/sh
# The plugin over the sample files: fields, filters, expert info, stats,
# tshark's default single pass, both carriers, exports of a subset, and
# what tshark shows without the plugin.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"

drop=$(sample udp-drop) blocks=$(sample trace-blocks) tcp=$(sample tcp-handshake)
graph=$(sample function-graph) big=$(sample big-trace) kv=$(sample kv)

check "tshark lists the plugin" sh -c "$AS_USER env HOME=$T/home $TSHARK -G plugins | grep -q 'ipft.so'"
tsp -r "$drop" >"$T/list"
check "Info column gains the path" grep -q 'UDP .*\[ipft: netif_receive_skb > ip_rcv > .* > kfree_skb (NO_SOCKET)\]' "$T/list"
check "run information and statistics blocks are labelled ipft" \
	sh -c "grep -q 'ipft .*run information: .*backend=kprobe' '$T/list' && grep -q 'ipft .*statistics: events=7' '$T/list'"
check "the statistics' Info starts with the counters" \
	grep -q 'ipft .*statistics: .*reused_skb_addresses=0, packets_ended_map_full=0, lost_events_map_race=0, ' "$T/list"
# stats_keys FILE: the keys of FILE's statistics block, comma-separated (tshark's
# aggregator; as a separator too, 4.4 would escape it).
stats_keys() {
	tsp -r "$1" -Y 'ipft.block.key == "packets"' -T fields -e ipft.block.key
}
check "the statistics show every counter the tracer writes" test "$(stats_keys "$drop")" = \
	"events,packets,packets_written,partial_traces,lost_events_ringbuf_full,lost_packets_map_full,reused_skb_addresses,packets_ended_map_full,lost_events_map_race,events_over_packet_cap,lost_events_nested,clock_changes,clock_changes_sum_ns"

for f in "$drop" "$blocks"; do
	carrier=$(basename "$f" .pcapng)
	tsp -r "$f" -Y ipft.drop_reason -T fields -e frame.number -e ipft.drop_reason \
		-e ipft.drop_location -e ipft.events -e ipft.packet_id -e frame.packet_id >"$T/drop"
	check "$carrier: single pass -Y ipft.drop_reason finds the drop with reason and location" \
		grep -Eq '^[0-9]+	NO_SOCKET	__udp4_lib_rcv\+0x8f1	7	0x([0-9a-f]+)	' "$T/drop"
	check "$carrier: ipft.packet_id equals epb_packetid" \
		sh -c "[ \"\$($AS_USER env HOME=$T/home $TSHARK -r '$f' -Y 'ipft.packet_id == frame.packet_id' 2>/dev/null | wc -l)\" = 1 ]"
	check "$carrier: ipft.func matches a packet that passed the function" \
		sh -c "tsp() { $AS_USER env HOME=$T/home $TSHARK \"\$@\" 2>/dev/null; }; [ \"\$(tsp -r '$f' -Y 'ipft.func == \"ip_local_deliver\"' | wc -l)\" = 1 ]"
	check "$carrier: ipft.* filters match packets, not the custom block records" \
		sh -c "tsp() { $AS_USER env HOME=$T/home $TSHARK \"\$@\" 2>/dev/null; }; tsp -r '$f' -Y ipft.events -T fields -e _ws.col.Protocol | grep -vq ipft; [ \$? -eq 0 ] && ! tsp -r '$f' -Y ipft.events -T fields -e _ws.col.Protocol | grep -q '^ipft'"
done
check "trace-blocks: the trace record is labelled with the short path" \
	sh -c "tsp() { $AS_USER env HOME=$T/home $TSHARK \"\$@\" 2>/dev/null; }; tsp -r '$blocks' -Y 'ipft.block.record == \"trace\"' | grep -q 'ipft .*Trace of packet 0x[0-9a-f]*: netif_receive_skb'"

tsp -r "$drop" -q -z expert,warn >"$T/expert"
check "dropped packet: expert warning names reason and location" \
	grep -q 'Dropped: NO_SOCKET at __udp4_lib_rcv+0x8f1' "$T/expert"
tsp -r "$tcp" -T fields -e ipft.packet_id >"$T/ids"
check "tcp handshake: three packets, three distinct packet ids" \
	sh -c "[ \$(sort -u '$T/ids' | grep -c .) = 3 ]"
tsp -r "$tcp" -q -z ipft_funcs,tree >"$T/funcs"
check "stats ipft/Functions counts packets per function" \
	sh -c "grep -q 'Packets per function  *3 ' '$T/funcs' && grep -Eq '^ consume_skb +3 ' '$T/funcs' && grep -Eq '^ tcp_v4_rcv +2 ' '$T/funcs'"
tsp -r "$drop" -q -z ipft_drops,tree >"$T/drops"
check "stats ipft/Drop reasons counts per reason" grep -Eq '^ NO_SOCKET +1 ' "$T/drops"

tsp -r "$graph" -O ipft >"$T/graph"
check "function_graph: entry/return indented by call depth, with return value and duration" \
	sh -c "grep -q '^    -> ip_rcv ' '$T/graph' && grep -Eq '^      (->|<-) ip_rcv_core ' '$T/graph' && grep -q 'Return value: ' '$T/graph' && grep -q 'Call duration: ' '$T/graph'"
tsp -r "$kv" -T fields -e ipft.data.key -e ipft.data.value >"$T/kv"
check "key/value data as ipft.data.key / ipft.data.value" \
	sh -c "grep -q 'verdict' '$T/kv' && grep -q 'NF_DROP' '$T/kv' && ! grep -q 'veth0' '$T/kv'"
n=$(tsp -r "$kv" -Y 'ipft.dev == "veth0" && ipft.len == 61 && ipft.mark == 0xc0ffee' | grep -c . || true)
check "a collector's key as its own field (ipft.dev, ipft.len, ipft.mark)" [ "$n" = 1 ]
tsp -r "$drop" -Y ipft.event.capture -O ipft >"$T/capture"
check "the event where the header bytes were captured is flagged (ipft.event.capture)" \
	sh -c "[ \$(grep -c 'Header bytes captured here: True' '$T/capture') = 1 ]"
tsp -r "$big" -T fields -e ipft.events -e ipft.truncated >"$T/big"
check "a trace split over 3 options is shown whole" grep -q '^3000	' "$T/big"

# The "export these packets for the bug report" step.
mkdir -m 777 "$T/out"
tsp -r "$tcp" -Y 'tcp.flags.syn == 1' -w "$T/out/export.pcapng"
check "a subset exported with tshark -Y ... -w still carries its traces" \
	sh -c "[ \"\$($AS_USER env HOME=$T/home $TSHARK -r '$T/out/export.pcapng' -T fields -e ipft.events 2>/dev/null | grep -c '^[0-9]')\" = 2 ]"

# (The default carrier only: standalone trace blocks are dropped by filtered
# exports, the documented cost of --trace-blocks.)
tsp -r "$drop" -Y 'ipft.drop_reason' -w "$T/out/drops.pcapng"
check "tshark -Y 'ipft.drop_reason' -w exports the dropped packet with its trace" \
	sh -c "$AS_USER env HOME=$T/home $TSHARK -r '$T/out/drops.pcapng' -T fields -e ipft.drop_reason -e ipft.events 2>/dev/null | grep -q '^NO_SOCKET	7$'"

tsv -r "$drop" -T fields -e udp.dstport -e frame.comment >"$T/vanilla"
check "without the plugin tshark decodes the packet and shows the path comment" \
	grep -q '^9999	netif_receive_skb > .* > kfree_skb (NO_SOCKET)' "$T/vanilla"
tsp -r "$drop" -V >/dev/null
check "tshark prints no error with the plugin" sh -c "! grep -q . '$T/tsp.err'"
finish
