#!/bin/sh
# Lost events are never silent: while ipft is stopped (SIGSTOP), a flood
# fills its 1 MB ring buffer and events are lost; ipft says so on stderr,
# counts them in the STATS record, and no trace it writes is silently
# short: a packet's hits go out as one record, so a packet is either
# written whole or, if that record was lost, flagged (or not written and
# counted).  Hits the kernel itself skipped are counted too.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
FLOOD=$top_builddir/bench/udp-flood
[ -x "$FLOOD" ] || die "$FLOOD not built"
make_pair "il$$"
f=$T/lost.pcapng

start_ipft "$f" -w "$f" --ringbuf-size 1 --netns "/run/netns/$NS_A"
kill -STOP $IPFT_PID
ip netns exec "$NS_A" "$FLOOD" send "$IP_B" 9 1 >/dev/null || die "flood failed"
kill -CONT $IPFT_PID
stop_ipft INT
grep 'lost' "$T/ipft.stderr" || true
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "stderr reports the ring buffer losses" \
	grep -q '^ipft: [1-9][0-9]* events lost: the ring buffer was full' "$T/ipft.stderr"
"$DUMP" "$f" >"$T/dump.txt"
tail -1 "$T/dump.txt"
check "STATS counts them" grep -q 'STATS .*lost_events_ringbuf_full=[1-9]' "$T/dump.txt"
# Hits the kernel skipped because ipft's program was already running on
# that CPU: its own count (recursion_misses), 0 unless an interrupt
# nested a traced call; stderr names them when there are some.
nested=$(sed -n 's/.*STATS .* lost_events_nested=\([0-9]*\) .*/\1/p' "$T/dump.txt")
check "STATS has the kernel's count of nested hits it skipped (${nested:-none})" [ -n "$nested" ]
check "stderr names them exactly when there are some" sh -c \
	"if [ '${nested:-0}' -eq 0 ]; then ! grep -q 'already running' '$T/ipft.stderr'
	 else grep -q '^ipft: ${nested:-0} events lost: the kernel did not run' '$T/ipft.stderr'; fi"
check "packets were lost whole and counted (STATS packets > packets_written)" \
	awk '/STATS/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
	     END { exit !(v["packets"] > v["packets_written"]) }' "$T/dump.txt"
check "every trace written is complete or flagged as missing events" \
	[ "$(grep '^  TRACE' "$T/dump.txt" | grep -v 'flags=complete' | grep -vc 'lost')" -eq 0 ]
check "some traces are whole (complete)" \
	[ "$(grep -c '^  TRACE .*flags=complete' "$T/dump.txt")" -gt 0 ]
check "the file is valid" "$CAPINFOS" "$f" >/dev/null
finish
