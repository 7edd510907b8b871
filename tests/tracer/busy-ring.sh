#!/bin/sh
# A ring buffer that never empties: under a flood faster than ipft reads,
# libbpf's ring_buffer__poll() would read for as long as records keep
# coming, and ipft's run loop would get control back only when the flood
# ends.  ipft ends each batch after a poll interval, so during the flood
# SIGUSR1's counters come at once and move (finished packets settle and
# are written), the file grows (flushed each second) and --duration ends
# the run on time.  Before (f5ab564) the counters came late and stood
# still (20009, then 20009) and ipft did not stop within 30 s.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
FLOOD=$top_builddir/bench/udp-flood
[ -x "$FLOOD" ] || die "$FLOOD not built"
make_pair "ir$$"
ns=/run/netns/$NS_A
FLOOD_SECS=90

# Datagrams to a receiver: delivered, they stay in the tracking map (no
# attach point sees their free), so the map is full and evicts, and the
# ring gets more than ipft reads.
ip netns exec "$NS_B" "$FLOOD" recv 5001 $((FLOOD_SECS + 2)) >"$T/recv" &
add_cleanup "kill $!"
wait_lines 1 5 "$T/recv" ready || die "the receiver did not start"
ip netns exec "$NS_A" "$FLOOD" send "$IP_B" 5001 $FLOOD_SECS >/dev/null &
flood=$!
add_cleanup "kill $flood"
sleep 1
# written: the packets written so far, from the last counters line.
written() { sed -n 's/^ipft: so far \([0-9]*\) packets written.*/\1/p' "$T/ipft.stderr" | tail -1; }

f=$T/busy.pcapng
start_ipft "$f" -w "$f" --netns "$ns"
sleep 2
kill -USR1 $IPFT_PID
check "USR1 under a flood: the counters within 4 s" \
	wait_lines 1 4 "$T/ipft.stderr" '^ipft: so far'
w1=$(written) s1=$(stat -c %s "$f")
sleep 2
kill -USR1 $IPFT_PID
check "USR1 again: the counters within 4 s" wait_lines 2 4 "$T/ipft.stderr" '^ipft: so far'
w2=$(written) s2=$(stat -c %s "$f")
grep '^ipft: so far' "$T/ipft.stderr" || true
check "packets are written during the flood ($w1, then $w2)" [ "${w2:-0}" -gt "${w1:-0}" ]
check "the file grows during the flood ($s1, then $s2 bytes)" [ "$s2" -gt "$s1" ]
check "the flood still runs" kill -0 $flood
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

# --duration: measured from the start of tracing to the exit (attaching
# on a loaded machine takes its own time), against a flood of 90 s.
start_ipft /dev/null -w /dev/null --netns "$ns" --duration 3
t0=$(date +%s)
wait_ipft
took=$(($(date +%s) - t0))
tail -n 3 "$T/ipft.stderr"
check "--duration 3 under a flood: exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "--duration 3 under a flood ends in $took s, not with the flood" [ "$took" -le 20 ]
check "the flood still ran" kill -0 $flood
finish
