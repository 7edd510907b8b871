#!/bin/sh
# event-cost.sh - what ipft's own process spends on each event it writes
# while the bench's flood is traced (every packet followed): its CPU time
# (user and system, from /proc) from "tracing" until it has written
# everything and exited, divided by the events it wrote, and the events it
# lost, for one or more ipft builds in turn.  The flood's rate depends on how much ipft loses (a lost event
# costs the kernel less than a sent one), so ipft's cost per event says
# more about a change to user space than the rate does.
#
#   sh bench/event-cost.sh BUILD_DIR [IPFT...]    (root; or: make bench-event-cost)
#   RUNS=5 EVENT_ARGS="-x meta" sh bench/event-cost.sh build /tmp/other/ipft
# EVENT_ARGS: more ipft options (default none); RUNS (default 5) rounds,
# each running every IPFT once, in the order given.
set -eu

build=${1:?usage: event-cost.sh BUILD_DIR [IPFT...]}
shift
[ $# -gt 0 ] || set -- "$build/tracer/ipft"
FLOOD=$build/bench/udp-flood
runs=${RUNS:-5}
args=${EVENT_ARGS:-}
[ "$(id -u)" = 0 ] || { echo "event-cost: needs root (namespaces, BPF)" >&2; exit 1; }
[ -x "$FLOOD" ] || { echo "event-cost: $FLOOD not built (make in $build)" >&2; exit 1; }

# shellcheck source=bench/veth-pair.sh
. "$(dirname "$0")/veth-pair.sh"
n=ipfte$$
tmp=$(mktemp -d /dev/shm/ipft-event.XXXXXX 2>/dev/null || mktemp -d)
trap 'pair_down "$n"; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
pair_up "$n" 10.250.0
hz=$(getconf CLK_TCK)

# CPU ticks (user + system) of process $1 so far, and its state.
ticks() {
	awk '{ print $14 + $15, $3 }' "/proc/$1/stat" 2>/dev/null
}

# run IPFT: prints "datagrams_per_s cpu_s events ns_per_event lost".
run() {
	err=$tmp/ipft.err
	# shellcheck disable=SC2086 # args: several options
	ipft_start "$1" "$err" $args -w "$tmp/trace.pcapng"
	flood_start "$FLOOD" "$n" 10.250.0.2 5 "$tmp/recv"
	t0=$(ticks $ipft | cut -d' ' -f1)
	wait $recv $send
	kill -INT $ipft
	# Its CPU time until it has written everything and exited (read
	# every 20 ms: the last read misses at most that; an exited child
	# not yet reaped still shows its totals).
	while t=$(ticks $ipft) && [ -n "$t" ]; do
		t1=${t% *}
		[ "${t#* }" != Z ] || break
		sleep 0.02
	done
	wait $ipft || true
	events=$(sed -n 's/.* packets written to .*, \([0-9]*\) events$/\1/p' "$err" | tail -n 1)
	lost=$(sed -n 's/^ipft: \([0-9]*\) events lost.*/\1/p' "$err" | head -n 1)
	awk -v r="$(tail -n 1 "$tmp/recv" | cut -d' ' -f2)" -v t=$((t1 - t0)) -v hz="$hz" \
		-v e="${events:-0}" -v l="${lost:-0}" 'BEGIN {
		printf "%d %.2f %d %.0f %d\n", r, t / hz, e, e ? t / hz * 1e9 / e : 0, l }'
	rm -f "$tmp/trace.pcapng"
}

echo "round build datagrams_per_s cpu_s events ns_per_event events_lost"
each_round "$runs" run "$@"
