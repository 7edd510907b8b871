#!/bin/sh
# Ways to stop: -c COUNT stops by itself, --duration too, SIGINT at any
# time leaves a valid file; a closed pipe ends ipft with exit status 2.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "is$$"
ns=/run/netns/$NS_A

# -c 2: ipft stops after writing two packets.
f=$T/count.pcapng
start_ipft "$f" -w "$f" -c 2 --netns "$ns"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 5 || die "netpeer failed"
wait_ipft
check "-c 2 stops by itself with exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "-c 2 wrote exactly two packets" \
	[ "$("$CAPINFOS" -M -c "$f" | sed -n 's/^Number of packets: *//p')" = 2 ]

# --duration: stops by itself with a valid (here empty) file.
f=$T/duration.pcapng
start_ipft "$f" -w "$f" --duration 0.5 --netns "$ns"
wait_ipft
check "--duration stops by itself with exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "the file of a run without packets is valid" "$CAPINFOS" "$f" >/dev/null

# SIGINT while packets are in flight and traffic goes on.
f=$T/sigint.pcapng
start_ipft "$f" -w "$f" --netns "$ns"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 50 &
sender=$!
sleep 0.3
stop_ipft INT
wait $sender || true
check "SIGINT: exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "SIGINT: capinfos reads the file" "$CAPINFOS" "$f" >/dev/null
check "SIGINT: the file ends with the STATS record" \
	sh -c "'$DUMP' '$f' | tail -1 | grep -q '^  STATS events='"

# A closed pipe: ipft says so and exits 2.
# (a new sh, not a subshell: a subshell would run this test's exit trap)
sh -c 'p=$1; shift; "$0" "$@" 2>"$p.err"; echo $? >"$p.rc"' "$IPFT" "$T/pipe" -w - --netns "$ns" |
	head -c 100 >/dev/null &
reader=$!
i=0
while ! [ -s "$T/pipe.rc" ] && [ $i -lt 200 ]; do
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 || true
	i=$((i + 1))
done
wait $reader || true
wait_lines 1 5 "$T/pipe.rc" . || true
cat "$T/pipe.err"
check "broken pipe: exit status 2" [ "$(cat "$T/pipe.rc")" = 2 ]
check "broken pipe: one clear line" grep -q 'Broken pipe' "$T/pipe.err"

# A full disk: a 64 KiB tmpfs fills up; ipft says so, exits 2, and the
# file holds whole blocks only.
mkdir "$T/small"
if mount -t tmpfs -o size=64k ipft-test "$T/small" 2>/dev/null; then
	add_cleanup "umount $T/small"
	f=$T/small/full.pcapng
	start_ipft "$f" -w "$f" --netns "$ns"
	i=0
	# Until the disk is full: a slow (sanitizer) ipft may need many rounds.
	while kill -0 $IPFT_PID 2>/dev/null && [ $i -lt 1000 ]; do
		ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 20 || true
		i=$((i + 1))
	done
	wait_ipft || true  # (errexit would stop at a non-zero status)
	grep 'ipft:' "$T/ipft.stderr" | tail -2
	check "full disk: exit status 2 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 2 ]
	check "full disk: the error names it" grep -q 'No space left on device' "$T/ipft.stderr"
	check "full disk: the file is still valid pcapng" "$CAPINFOS" "$f" >/dev/null
	check "full disk: it holds packets" \
		[ "$("$CAPINFOS" -M -c "$f" | sed -n 's/^Number of packets: *//p')" -gt 10 ]
else
	die "cannot mount a tmpfs for the full-disk check"
fi
finish
