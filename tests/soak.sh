#!/bin/sh
# soak.sh BUILDDIR: ipft under a long UDP flood, its memory and its work
# watched (make soak; as root; not in make check: it takes SOAK_SECONDS).
#
# Two network namespaces joined by a veth pair; bench/udp-flood sends
# 64-byte datagrams as fast as it can from one to a receiver in the other
# for SOAK_SECONDS (default 600), while `ipft -v -w /dev/null --netns A`
# traces every packet of the flood (the pcapng writer does all its work;
# nothing fills a disk).  Every SAMPLE_SECONDS (default 5) the script
# reads ipft's VmRSS from /proc and sends it SIGUSR1 (its counters so far,
# on stderr).  It prints the samples (seconds, VmRSS kB, packets written,
# events, events lost, packets not followed) and a summary: RSS over the
# first minute and over the last (mean and max), the maximum, the growth
# from the first minute's mean to the last's and from 60 s to the end
# (the first minute holds the tables filling up), the losses ipft reports
# at exit, and the packets written in the first and in the last minute;
# with the load average before and after (the machine's other work shares
# the cores with the flood).  Exit status 1 when ipft did not run to the
# end, did not exit 0, or wrote nothing in the last minute (it stalled).
set -eu
b=${1:?usage: soak.sh BUILDDIR}
IPFT=${IPFT:-$b/tracer/ipft}
FLOOD=$b/bench/udp-flood
SECS=${SOAK_SECONDS:-600}
EVERY=${SAMPLE_SECONDS:-5}
[ "$(id -u)" = 0 ] || { echo "soak: needs root (namespaces, BPF)" >&2; exit 1; }
for x in "$IPFT" "$FLOOD"; do
	[ -x "$x" ] || { echo "soak: $x not built" >&2; exit 1; }
done
[ "$SECS" -ge 120 ] || { echo "soak: SOAK_SECONDS below 120 leaves no first and last minute" >&2; exit 1; }

# shellcheck source=bench/veth-pair.sh
. "$(dirname "$0")/../bench/veth-pair.sh"
n=ipfts$$
tmp=$(mktemp -d)
running=""
cleanup() {
	for p in $running; do kill "$p" 2>/dev/null || true; done
	pair_down "$n"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
pair_up "$n" 10.251.0

cmd="$IPFT -v -w /dev/null --netns /run/netns/$n-a"
# shellcheck disable=SC2086 # the command line, word by word
$cmd >/dev/null 2>"$tmp/ipft.err" &
ipft=$!
running="$ipft"
wait_for "$tmp/ipft.err" 'tracing; Ctrl-C' $ipft ipft || { cat "$tmp/ipft.err" >&2; exit 1; }
ip netns exec "$n-b" "$FLOOD" recv 5001 "$((SECS + 2))" >"$tmp/recv" &
recv=$!
running="$running $recv"
wait_for "$tmp/recv" ready $recv "the receiver" || exit 1
ip netns exec "$n-a" "$FLOOD" send 10.251.0.2 5001 "$SECS" >/dev/null &
flood=$!
running="$running $flood"

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs, $SECS s, load average before: $load_before"
echo "# $cmd"
echo "# seconds  VmRSS_kB  written  events  events_lost  not_followed"
start=$(date +%s)
: >"$tmp/samples"
while kill -0 $flood 2>/dev/null; do
	t=$(($(date +%s) - start))
	rss=$(awk '$1 == "VmRSS:" { print $2 }' /proc/$ipft/status 2>/dev/null) || break
	kill -USR1 $ipft 2>/dev/null || break
	sleep 0.2
	# "ipft: so far W packets written (P partial), E events, L events lost, N packets not followed"
	c=$(sed -n 's/^ipft: so far \([0-9]*\) packets written ([0-9]* partial), \([0-9]*\) events, \([0-9]*\) events lost, \([0-9]*\) packets not followed$/\1 \2 \3 \4/p' \
		"$tmp/ipft.err" | tail -1)
	echo "$t $rss $c" | tee -a "$tmp/samples"
	sleep "$EVERY"
done
kill -0 $ipft 2>/dev/null || { cat "$tmp/ipft.err" >&2; echo "soak: ipft ended during the flood" >&2; exit 1; }
hwm=$(awk '$1 == "VmHWM:" { print $2 }' /proc/$ipft/status)
kill -INT $ipft
rc=0
wait $ipft || rc=$?
wait $recv || true
running=""
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "# ipft exit status $rc; its last words:"
grep -v '^ipft: so far' "$tmp/ipft.err" | tail -n 8 | sed 's/^/#   /'
awk -v secs="$SECS" -v hwm="$hwm" -v out="$tmp/last-minute" '
	$2 > max { max = $2; tmax = $1 }
	$1 <= 60 { at60 = $2 }
	{ end = $2 }
	$1 < 60 { fs += $2; fn++; if ($2 > fmax) fmax = $2; fw = $3 }
	$1 >= secs - 60 { ls += $2; ln++; if ($2 > lmax) lmax = $2; if (lw0 == "") lw0 = $3; lw = $3 }
	END {
		fm = fs / fn; lm = ls / ln
		printf "# packets written: %d in the first minute, %d in the last\n", fw, lw - lw0
		print lw - lw0 >out
		printf "# VmRSS first minute: mean %.0f kB, max %d kB (%d samples)\n", fm, fmax, fn
		printf "# VmRSS last minute:  mean %.0f kB, max %d kB (%d samples)\n", lm, lmax, ln
		printf "# VmRSS max %d kB at %d s; VmHWM %d kB; growth first to last minute %+.0f kB (%+.1f%%)\n",
			max, tmax, hwm, lm - fm, 100 * (lm - fm) / fm
		printf "# VmRSS at 60 s %d kB, at the end %d kB (%+d kB)\n", at60, end, end - at60
	}' "$tmp/samples"
last_minute=$(cat "$tmp/last-minute")
echo "# received by the flood's receiver: $(sed -n '2p' "$tmp/recv" 2>/dev/null || echo '?') (datagrams, per second)"
echo "# load average after: $load_after"
[ "$rc" -eq 0 ] && [ "$last_minute" -gt 0 ]
