#!/bin/sh
# -o json together with -w FILE, live: three UDP datagrams to a closed port
# (dropped) and two to a socket nobody reads (alive: partial traces at
# exit).  Both outputs are complete and say the same: the same packets in
# the same order, each event with the same packet id, time, CPU, name,
# drop reason and location, the same partial flags; the file's packet
# times are the first events' and its path comments the JSON's paths.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ij$$"
f=$T/both.pcapng

start_ipft "$f" -o json -w "$f" --netns "/run/netns/$NS_A" udp
# The sink lives 8 s: started once ipft traces (attaching can take longer
# than that on a loaded machine, and the datagrams would find no socket).
udp_sink 7001
add_cleanup "kill $!"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7001 2 || die "netpeer failed"
i=0
while [ "$(grep -c '"drop_reason":"NO_SOCKET"' "$T/ipft.stdout")" -lt 3 ] && [ $i -lt 50 ]; do
	i=$((i + 1)); sleep 0.1
done
sleep 0.3
stop_ipft INT
json=$T/ipft.stdout
cat "$json"
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "the file is valid (capinfos)" sh -c "'$CAPINFOS' '$f' >/dev/null"

# One line per event from each output: PACKET_ID TIME_NS CPU NAME REASON
# LOCATION PARTIAL (empty fields for none).
J='^\{"packet_id":"(0x[0-9a-f]{16})","timestamp":([0-9]+),"processor_id":([0-9]+),"function":"([a-z_0-9]+)","is_return":false,"kind":"tracepoint","depth":0(,"drop_reason_code":[0-9]+,"drop_reason":"([A-Z_0-9]+)")?(,"drop_location":"([^"]+)")?,"partial":(true|false),"events_lost":false\}$'
check "every JSON line is one event in the expected form" \
	[ "$(grep -cvE "$J" "$json")" -eq 0 ]
sed -E "s/$J/\\1 \\2 \\3 \\4 \\6 \\8 \\9/" "$json" >"$T/json.events"
"$DUMP" "$f" >"$T/dump.txt"
awk '/^  TRACE / { split($2, a, "="); id = a[2]; partial = ($3 ~ /partial/) ? "true" : "false" }
     /^    EVENT / {
	ts = cpu = name = reason = loc = ""
	for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "ts") { ts = kv[2]; sub(/\./, "", ts) }
		else if (kv[1] == "cpu") cpu = kv[2]
		else if (kv[1] == "name") name = kv[2]
		else if (kv[1] == "reason") reason = kv[2]
		else if (kv[1] == "location") loc = kv[2]
	}
	print id, ts, cpu, name, reason, loc, partial
     }' "$T/dump.txt" >"$T/file.events"
check "the same events, in the same order, in both ($(wc -l <"$T/json.events") events)" \
	sh -c "[ -s '$T/json.events' ] && cmp '$T/json.events' '$T/file.events'"

# Per packet, from the JSON: ID FIRST_TIME_NS PARTIAL PATH (ids compared
# as strings: awk may read 0x... as a number).
awk '{ if ($1 "" != id "") { if (id != "") print id, first, partial, path
		id = $1; first = $2; partial = $NF; path = $4 }
       else path = path " > " $4
       if (NF == 7) path = path " (" $5 ")" }
     END { if (id != "") print id, first, partial, path }' "$T/json.events" >"$T/json.packets"
cat "$T/json.packets"
check "five packets in the JSON, five distinct ids" \
	[ "$(cut -d' ' -f1 "$T/json.packets" | sort -u | wc -l)" -eq 5 ]
cut -d' ' -f1 "$T/json.packets" >"$T/json.ids"
grep '^EPB' "$T/dump.txt" | sed 's/.* packetid=\(0x[0-9a-f]*\) .*/\1/' >"$T/file.ids"
check "the file has the same packet ids, in the same order (epb_packetid)" \
	cmp "$T/json.ids" "$T/file.ids"
check "three dropped (NO_SOCKET) and two partial, in both" sh -c \
	"[ \$(grep -c ' false .*kfree_skb (NO_SOCKET)\$' '$T/json.packets') -eq 3 ] &&
	 [ \$(grep -c ' true net_dev_queue > .*netif_receive_skb\$' '$T/json.packets') -eq 2 ] &&
	 [ \$(grep -c '^  TRACE .*flags=complete ' '$T/dump.txt') -eq 3 ] &&
	 [ \$(grep -c '^  TRACE .*flags=partial ' '$T/dump.txt') -eq 2 ]"
# tshark: each packet's time is its first event's, its comment the path.
tshark_plain -r "$f" -Y frame.packet_id -T fields -e frame.time_epoch -e frame.comment |
	sed 's/\.//; s/	/ /' >"$T/tshark.packets"
cut -d' ' -f2,4- "$T/json.packets" >"$T/json.time-path"
check "tshark: packet times are the first events' times, comments the JSON paths" \
	cmp "$T/tshark.packets" "$T/json.time-path"
check "the last line counts the same packets and events" \
	grep -q "^ipft: 5 packets written to $f (2 partial), $(wc -l <"$json") events$" "$T/ipft.stderr"
check "STATS agrees" grep -q "STATS events=$(wc -l <"$json") packets=5 packets_written=5 partial_traces=2 " \
	"$T/dump.txt"
finish
