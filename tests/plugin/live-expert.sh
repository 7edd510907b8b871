#!/bin/sh
# The plugin's expert infos for partial traces and lost events, on files
# ipft writes live (tshark with the plugin, as an unprivileged user).
# 1. Partial: datagrams queued on a socket nobody reads are still alive
#    when ipft stops (as in tests/tracer/alive.sh): exactly they carry the
#    note "Partial trace: ..."; the dropped ones carry the drop warning.
# 2. Events lost: ipft stopped (SIGSTOP) while a flood fills its 1 MB ring
#    buffer (as in tests/tracer/lost-events.sh); two datagrams then sent to
#    the socket nobody reads lose their header capture to the full ring
#    buffer, and are written at exit as partial traces flagged EVENTS_LOST,
#    with their path (as empty exported PDUs: no headers, no "Malformed").  Exactly the packets the file flags as missing events
#    carry the warning "Events of this packet were lost (ring buffer full)".
set -eu
. "$top_srcdir/tests/tracer/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
FLOOD=$top_builddir/bench/udp-flood
[ -x "$FLOOD" ] || die "$FLOOD not built"
make_pair "ie$$"
ns=/run/netns/$NS_A
PARTIAL='Partial trace: the packet was still alive when ipft wrote it'
LOST='Events of this packet were lost (ring buffer full)'

# 1. Partial traces.
f=$T/partial.pcapng
start_ipft "$f" -w "$f" --netns "$ns" udp
udp_sink 7001
add_cleanup "kill $!"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 || die "netpeer failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7001 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
check "partial: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"
tsp -r "$f" -Y 'udp && !icmp' -T fields -e udp.dstport -e ipft.partial -e ipft.complete \
	-e _ws.expert.message >"$T/partial.txt"
cat "$T/partial.txt" "$T/tsp.err"
check "partial: the two queued datagrams are partial, with the note" \
	[ "$(grep -c "^7001	1	0	.*,$PARTIAL$" "$T/partial.txt")" -eq 2 ]
check "partial: the two dropped ones are complete, with the drop warning and no note" sh -c \
	"[ \$(grep -c '^9	0	1	.*,Dropped: NO_SOCKET at [_a-z0-9]*+0x[0-9a-f]*\$' '$T/partial.txt') -eq 2 ] &&
	 ! grep -q '^9	.*Partial' '$T/partial.txt'"
check "partial: nothing else in the file" [ "$(wc -l <"$T/partial.txt")" -eq 4 ]
check "partial: the filter ipft.partial.expert finds the two queued datagrams" \
	[ "$(tsp -r "$f" -Y 'ipft.partial.expert' -T fields -e udp.dstport | tr '\n' ' ')" = "7001 7001 " ]
tsp -r "$f" -q -z expert,note >"$T/partial.expert"
check "partial: tshark -z expert lists two notes, in group Sequence" \
	grep -Eq "^ +2 +Sequence +ipft +$PARTIAL$" "$T/partial.expert"

# 2. Lost events.
f=$T/lost.pcapng
start_ipft "$f" -w "$f" --ringbuf-size 1 --netns "$ns"
# A sink of its own: the first one's 8 seconds may be over by now.
udp_sink 7002
add_cleanup "kill $!"
kill -STOP $IPFT_PID
ip netns exec "$NS_A" "$FLOOD" send "$IP_B" 9 1 >/dev/null || die "flood failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7002 2 || die "netpeer failed"
kill -CONT $IPFT_PID
sleep 0.5
stop_ipft INT
check "lost: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
"$DUMP" "$f" >"$T/lost.dump"
tail -1 "$T/lost.dump"
check "lost: the ring buffer was full (STATS)" \
	grep -q '^  STATS .*lost_events_ringbuf_full=[1-9]' "$T/lost.dump"
# Packet ids of the traces flagged lost / partial in the file.
grep '^  TRACE .*flags=[a-z,]*lost' "$T/lost.dump" | cut -d' ' -f4 | cut -d= -f2 | sort >"$T/lost.ids"
grep '^  TRACE .*flags=[a-z,]*partial' "$T/lost.dump" | cut -d' ' -f4 | cut -d= -f2 | sort \
	>"$T/partial.ids"
grep '^  TRACE ' "$T/lost.dump" | grep -v 'flags=complete ' || true
check "lost: the two queued datagrams are partial traces missing events, with their path" \
	[ "$(grep -B1 '^  TRACE .*flags=partial,lost part=0/1 events=6$' "$T/lost.dump" |
		grep -c '^EPB .* caplen=12 origlen=12 comment="net_dev_queue > .*netif_receive_skb" ')" -eq 2 ]
check "lost: packets without headers are no Malformed Packet in Wireshark (an empty exported PDU)" \
	[ "$(tsv -r "$f" -Y '_ws.malformed' | wc -l)" -eq 0 ]
chmod a+r "$f"
tsp -r "$f" -Y 'ipft.events_lost.expert' -T fields -e ipft.packet_id | sort >"$T/lost.plugin"
tsp -r "$f" -Y 'ipft.partial.expert' -T fields -e ipft.packet_id | sort >"$T/partial.plugin"
cat "$T/tsp.err"
check "lost: exactly the $(wc -l <"$T/lost.ids") packets flagged as missing events carry the warning" \
	cmp "$T/lost.ids" "$T/lost.plugin"
check "lost: exactly the $(wc -l <"$T/partial.ids") partial packets carry the partial note" \
	cmp "$T/partial.ids" "$T/partial.plugin"
tsp -r "$f" -Y 'ipft.events_lost.expert && ipft.events == 6' -T fields -e ipft.flags -e ipft.path \
	-e _ws.expert.message >"$T/lost.txt"
cat "$T/lost.txt"
check "lost: the two queued datagrams: flags partial and events lost, their path, both expert infos" \
	[ "$(grep -c "^0x00000006	\(net_dev_queue > .*netif_receive_skb\)	\1,.*$PARTIAL,$LOST$" "$T/lost.txt")" -eq 2 ]
tsp -r "$f" -q -z expert,warn >"$T/lost.expert"
check "lost: tshark -z expert counts the warnings, in group Sequence" \
	grep -Eq "^ +$(wc -l <"$T/lost.ids") +Sequence +ipft +Events of this packet were lost \(ring buffer full\)$" \
	"$T/lost.expert"
finish
