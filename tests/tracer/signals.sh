#!/bin/sh
# Signals under a flood: INT, TERM, HUP (a closed terminal or SSH session)
# and QUIT each end ipft cleanly (exit 0, a file read to its end with the
# interface and run statistics, the packet count said equal to the file's);
# USR1 prints the counters and tracing goes on; a file-size limit (SIGXFSZ)
# is an output error (exit 2, a valid file); Ctrl-C ends ipft even while
# its pipe's reader has stopped reading; kill -9 leaves whole blocks.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ig$$"
ns=/run/netns/$NS_A

# flood SECONDS: datagrams as fast as one socket sends them, A to B.
flood() {
	ip netns exec "$NS_A" "$NETPEER" udp-flood "$IP_B" 9 "$1" &
	FLOOD=$!
	add_cleanup "kill $FLOOD"
}
stop_flood() { kill "$FLOOD" 2>/dev/null || true; wait "$FLOOD" 2>/dev/null || true; }
packets_in() { "$CAPINFOS" -M -c "$1" 2>/dev/null | sed -n 's/^Number of packets: *//p'; }

for sig in INT TERM HUP QUIT; do
	f=$T/$sig.pcapng
	start_ipft "$f" -w "$f" --netns "$ns"
	flood 5
	sleep 1
	stop_ipft $sig
	stop_flood
	check "SIG$sig under a flood: exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	check "SIG$sig: capinfos reads the whole file" "$CAPINFOS" "$f" >/dev/null
	"$DUMP" "$f" >"$T/$sig.dump"
	check "SIG$sig: the file ends with the run statistics" \
		sh -c "tail -1 '$T/$sig.dump' | grep -q '^  STATS events='"
	check "SIG$sig: interface statistics written" grep -q '^ISB' "$T/$sig.dump"
	n=$(packets_in "$f")
	check "SIG$sig: packets written ($n)" [ "$n" -gt 0 ]
	check "SIG$sig: the count said is the file's" \
		grep -q "ipft: $n packets written to $f" "$T/ipft.stderr"
done

# USR1: the counters on stderr, and tracing goes on.
f=$T/usr1.pcapng
start_ipft "$f" -w "$f" --netns "$ns"
flood 3
sleep 0.5
kill -USR1 $IPFT_PID
check "USR1: the counters are printed" wait_lines 1 5 "$T/ipft.stderr" 'ipft: so far [0-9]* packets written'
check "USR1: ipft goes on" kill -0 $IPFT_PID
stop_ipft INT
stop_flood
check "USR1 then INT: exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

# A file-size limit: exit 2 with one line naming it, a valid file.
f=$T/xfsz.pcapng
flood 6
sh -c 'ulimit -f 400; exec "$@"' sh "$IPFT" -w "$f" --netns "$ns" --duration 5 \
	2>"$T/xfsz.err" && rc=0 || rc=$?
stop_flood
cat "$T/xfsz.err"
check "file-size limit: exit 2, not killed by SIGXFSZ (rc $rc)" [ "$rc" -eq 2 ]
check "file-size limit: the error names it" grep -q 'File too large' "$T/xfsz.err"
check "file-size limit: the file is valid pcapng" "$CAPINFOS" "$f" >/dev/null
check "file-size limit: it holds packets" [ "$(packets_in "$f")" -gt 0 ]

# A reader that stopped reading: Ctrl-C still ends ipft, within seconds.
sh -c 'p=$1; shift; "$@" 2>"$p.err" & echo $! >"$p.pid"; wait $!; echo $? >"$p.rc"' \
	sh "$T/stall" "$IPFT" -v -w - --netns "$ns" | sleep 120 &
reader=$!
add_cleanup "kill $reader"
wait_lines 1 5 "$T/stall.pid" . || die "ipft did not start"
# A background job's SIGINT is ignored until ipft sets its handler, just
# before it traces: a Ctrl-C sent while it attached was lost.
wait_lines 1 30 "$T/stall.err" 'tracing; Ctrl-C' || die "ipft did not start tracing"
flood 3
sleep 2.5  # the pipe (64 KiB) fills and ipft blocks in write
stop_flood
start=$(date +%s)
kill -INT "$(cat "$T/stall.pid")"
wait_lines 1 60 "$T/stall.rc" . || true
took=$(($(date +%s) - start))
cat "$T/stall.err"
# Not a speed check: ended well before the reader goes away (2 minutes).
check "stalled pipe: Ctrl-C ends ipft in ${took} s, long before the reader goes" \
	test -s "$T/stall.rc" -a "$took" -le 60
check "stalled pipe: exit 2 (rc $(cat "$T/stall.rc" 2>/dev/null))" [ "$(cat "$T/stall.rc" 2>/dev/null)" = 2 ]
check "stalled pipe: one line says why" grep -q 'reader stopped reading' "$T/stall.err"
kill $reader 2>/dev/null || true

# kill -9: no statistics, but the file is read to its last flushed packet.
f=$T/kill9.pcapng
start_ipft "$f" -w "$f" --netns "$ns"
flood 4
sleep 2.5
kill -9 $IPFT_PID
wait $IPFT_PID 2>/dev/null || true
stop_flood
# A write cut by the kill (the kernel stops a write to a file at a page
# boundary when a fatal signal is pending) can leave part of a block at the
# very end, even part of its header; every block before it is whole.
size=$(stat -c %s "$f")
cut=whole
if ! "$DUMP" "$f" >/dev/null 2>"$T/kill9.err"; then
	cut=$(sed -n -e 's/.*offset \([0-9]*\): block of [0-9]* bytes is truncated (\([0-9]*\) bytes left)$/\1 \2/p' \
		-e 's/.*offset \([0-9]*\): truncated block header (\([0-9]*\) bytes left)$/\1 \2/p' \
		"$T/kill9.err" | { read -r at left && [ $((at + left)) -eq "$size" ] && echo at-end; } || true)
fi
cat "$T/kill9.err"
check "kill -9: every block is whole, but for a cut at the very end ($cut)" \
	test "$cut" = whole -o "$cut" = at-end
n=$(packets_in "$f" 2>/dev/null)
check "kill -9: capinfos reads the packets flushed before it ($n)" [ "$n" -gt 0 ]
finish
