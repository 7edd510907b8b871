#!/bin/sh
# overhead.sh - what ipft costs a packet flow, measured side by side.
#
# Two network namespaces joined by a veth pair; a UDP flood (64-byte
# datagrams, sendmmsg) from one to a counting receiver in the other, the
# sender pinned to CPU 0 and the receiver to CPU 1 (less scheduler noise;
# ipft runs where it can).  The receiver's rate is measured, in one run, with:
#   off       no tracing
#   floor     a BPF program that does nothing, attached to the same
#             tracepoints ipft attaches (bench/noop-attach): the kernel's
#             own cost of running any program there, which no tracer
#             attached at those points can go below
#   traced    ipft tracing every packet (-w FILE, all attach points)
#   filtered  ipft with a mark filter nothing matches (-m 0xdead)
#   pcap      ipft with a pcap-filter expression nothing in the flood
#             matches ('tcp port 443 and host 10.1.2.3'): every first sight
#             copies the headers and runs the translated expression
# and the ratios to "off" are printed.  Targets: filtered and pcap >= 0.95,
# traced >= 0.80 with no event lost.  Each round runs the five back to back
# and gives its own ratios (so a busy machine slows all alike); the median
# over ROUNDS rounds is the result.  The load average is printed: other
# work on the machine makes the numbers noisy.
#
#   sh bench/overhead.sh [BUILD_DIR]      (root; or: make bench)
#   SECONDS_PER_RUN=3 ROUNDS=5 sh bench/overhead.sh
set -eu

build=${1:-${top_builddir:-$(pwd)}}
IPFT=$build/tracer/ipft
FLOOD=$build/bench/udp-flood
NOOP=$build/bench/noop-attach
secs=${SECONDS_PER_RUN:-3}
rounds=${ROUNDS:-3}
[ "$(id -u)" = 0 ] || { echo "overhead: needs root (namespaces, BPF)" >&2; exit 1; }
for x in "$IPFT" "$FLOOD" "$NOOP"; do
	[ -x "$x" ] || { echo "overhead: $x not built (make in $build)" >&2; exit 1; }
done

n=ipftb$$
tmp=$(mktemp -d)
ipft_pid="" noop_pid=""
cleanup() {
	[ -z "$ipft_pid" ] || kill "$ipft_pid" 2>/dev/null || true
	[ -z "$noop_pid" ] || kill "$noop_pid" 2>/dev/null || true
	ip netns del "$n-a" 2>/dev/null || true
	ip netns del "$n-b" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load=$(cut -d' ' -f1-3 /proc/loadavg)
ip netns add "$n-a"
ip netns add "$n-b"
ip link add "${n}a" netns "$n-a" type veth peer "${n}b" netns "$n-b"
ip -n "$n-a" addr add 10.250.0.1/24 dev "${n}a"
ip -n "$n-b" addr add 10.250.0.2/24 dev "${n}b"
for s in a b; do
	ip netns exec "$n-$s" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$n-$s" link set lo up
	ip -n "$n-$s" link set "${n}$s" up
done

# measure: one flood; prints the receiver's datagrams per second.
measure() {
	ip netns exec "$n-b" taskset -c 1 "$FLOOD" recv 5001 "$secs" >"$tmp/recv" &
	r=$!
	i=0
	until grep -q ready "$tmp/recv" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "receiver did not start" >&2; exit 1; }
		sleep 0.05
	done
	ip netns exec "$n-a" taskset -c 0 "$FLOOD" send 10.250.0.2 5001 "$((secs + 1))" >/dev/null
	wait $r
	sed -n '2s/.* //p' "$tmp/recv"
}

# with_ipft ARGS...: measure while ipft runs with ARGS.
with_ipft() {
	"$IPFT" -v "$@" >/dev/null 2>"$tmp/ipft.err" &
	ipft_pid=$!
	i=0
	until grep -q 'tracing; Ctrl-C' "$tmp/ipft.err"; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 $ipft_pid 2>/dev/null; then
			cat "$tmp/ipft.err" >&2; exit 1
		fi
		sleep 0.1
	done
	measure
	kill -INT $ipft_pid
	wait $ipft_pid || true
	ipft_pid=""
	grep -E 'lost|packets written' "$tmp/ipft.err" | sed 's/^/    /' >&2 || true
	lost=$(sed -n 's/^ipft: \([0-9]*\) events lost.*/\1/p' "$tmp/ipft.err" | tail -1)
	echo "${lost:-0}" >"$tmp/lost"
	# Packets the tracking map had no room for: traced by nobody.
	unfollowed=$(sed -n 's/^ipft: \([0-9]*\) packets not followed.*/\1/p' "$tmp/ipft.err" | tail -1)
	echo "${unfollowed:-0}" >"$tmp/unfollowed"
}

# with_noop: measure while empty programs sit on ipft's tracepoints.
tracepoints=$("$IPFT" -l | awk '$1 == "tracepoint" { print $2 }')
with_noop() {
	# shellcheck disable=SC2086 # one argument per tracepoint
	"$NOOP" $tracepoints >"$tmp/noop.out" &
	noop_pid=$!
	i=0
	until grep -q attached "$tmp/noop.out"; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "noop-attach did not start" >&2; exit 1; }
		sleep 0.05
	done
	measure
	kill "$noop_pid"
	wait "$noop_pid" || true
	noop_pid=""
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "meets" : "BELOW" }'; }

rts="" rfs="" rps="" rns="" losts="" unfs=""
measure >/dev/null  # warm up (neighbour resolution, caches)
echo "noop-attach: $(echo $tracepoints | wc -w) tracepoints" >&2
for r in $(seq "$rounds"); do
	off=$(measure)
	noop=$(with_noop)
	traced=$(with_ipft -w "$tmp/trace.pcapng")
	lost=$(cat "$tmp/lost") unfollowed=$(cat "$tmp/unfollowed")
	filtered=$(with_ipft -w "$tmp/none.pcapng" -m 0xdead)
	pcap=$(with_ipft -w "$tmp/pcap.pcapng" 'tcp port 443 and host 10.1.2.3')
	rn=$(ratio "$noop" "$off")
	rt=$(ratio "$traced" "$off") rf=$(ratio "$filtered" "$off") rp=$(ratio "$pcap" "$off")
	rns="$rns $rn" rts="$rts $rt" rfs="$rfs $rf" rps="$rps $rp" losts="$losts $lost"
	unfs="$unfs $unfollowed"
	echo "round $r: off $off/s, floor $noop/s ($rn), traced $traced/s ($rt, $lost events" \
		"lost, $unfollowed packets not followed), filtered $filtered/s ($rf)," \
		"pcap filter $pcap/s ($rp)" >&2
done
rn=$(echo "$rns" | median)
rt=$(echo "$rts" | median)
rf=$(echo "$rfs" | median)
rp=$(echo "$rps" | median)
lost=$(echo "$losts" | tr ' ' '\n' | grep . | sort -n | tail -1)
unf=$(echo "$unfs" | tr ' ' '\n' | grep . | sort -n | tail -1)
echo "UDP 64-byte datagrams over veth, ${secs}s per configuration, median of $rounds rounds"
echo "(load average before: $load)"
printf '  %-34s ratio %s (no tracer can go below this here)\n' "empty programs, same tracepoints" "$rn"
printf '  %-34s ratio %s (target 0.80: %s; most events lost in a round: %s,\n' \
	"ipft tracing every packet" "$rt" "$(verdict "$rt" 0.80)" "$lost"
printf '  %-34s most packets not followed (tracking map full): %s)\n' "" "$unf"
printf '  %-34s ratio %s (target 0.95: %s)\n' "ipft, filter matches nothing" "$rf" "$(verdict "$rf" 0.95)"
printf '  %-34s ratio %s (target 0.95: %s)\n' "ipft, pcap filter matches nothing" "$rp" "$(verdict "$rp" 0.95)"
