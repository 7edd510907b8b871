#!/bin/sh
# Lost events are never silent: while ipft is stopped (SIGSTOP), a flood
# fills its 1 MB ring buffer and events are lost; ipft says so on stderr,
# counts them in the STATS record, and flags the traces concerned.
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
check "traces that lost events are flagged" grep -q 'TRACE .*flags=[a-z,|]*lost' "$T/dump.txt"
check "the file is valid" "$CAPINFOS" "$f" >/dev/null
finish
