#!/bin/sh
# hit-time.sh - what one hit of ipft's tracepoint programs costs: the
# kernel's own accounting (kernel.bpf_stats_enabled: run time and runs of
# each program) over ipft's programs while bench/udp-flood floods a veth
# pair for 3 s, for one or more ipft builds in turn.  Less noisy than the
# flood's rate (bench/overhead.sh) for small changes to the programs; the
# accounting itself adds a little to every run.  The word floor in place
# of an IPFT measures the same for bench/noop-attach's empty program on
# ipft's tracepoints (bench/overhead.sh's floor): what ipft's hit costs
# above it is its own.
#
#   sh bench/hit-time.sh BUILD_DIR [IPFT|floor...]  (root; or: make bench-hit-time)
#   RUNS=5 HIT_ARGS="-m 0xdead" sh bench/hit-time.sh build floor /tmp/other/ipft
# HIT_ARGS: ipft's options (default "-m 0xdead": a mark filter nothing
# matches, so only the untracked path runs); RUNS (default 5) rounds, each
# running every IPFT once, in the order given (default: floor, then
# BUILD_DIR's ipft).
set -eu

build=${1:?usage: hit-time.sh BUILD_DIR [IPFT...]}
shift
[ $# -gt 0 ] || set -- floor "$build/tracer/ipft"
FLOOD=$build/bench/udp-flood
NOOP=$build/bench/noop-attach
runs=${RUNS:-5}
args=${HIT_ARGS:--m 0xdead}
[ "$(id -u)" = 0 ] || { echo "hit-time: needs root (namespaces, BPF)" >&2; exit 1; }
for x in "$FLOOD" "$NOOP"; do
	[ -x "$x" ] || { echo "hit-time: $x not built (make in $build)" >&2; exit 1; }
done
command -v bpftool >/dev/null || { echo "hit-time: bpftool is missing" >&2; exit 1; }

# shellcheck source=bench/veth-pair.sh
. "$(dirname "$0")/veth-pair.sh"
n=ipfth$$
tmp=$(mktemp -d /dev/shm/ipft-hit.XXXXXX 2>/dev/null || mktemp -d)
stats_before=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
	for p in ${ipft:-} ${noop:-}; do kill "$p" 2>/dev/null || true; done
	sysctl -qw kernel.bpf_stats_enabled="$stats_before"
	pair_down "$n"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pair_up "$n" 10.252.0
sysctl -qw kernel.bpf_stats_enabled=1

# prog_time PREFIX: runs and average ns per run of the loaded programs
# whose names start with PREFIX.
prog_time() {
	bpftool -j prog show | python3 -c '
import json, sys
t = c = 0
for p in json.load(sys.stdin):
    if p.get("name", "").startswith(sys.argv[1]):
        t += p.get("run_time_ns", 0)
        c += p.get("run_cnt", 0)
print(c, "%.1f" % (t / c if c else 0))' "$1"
}

# flood PREFIX: the flood, then the time of PREFIX's programs, the rate.
flood() {
	flood_start "$FLOOD" "$n" 10.252.0.2 3 "$tmp/recv"
	sleep 3.1
	time=$(prog_time "$1")
	wait $recv $send
}

tracepoints=$(ipft_tracepoints "$build/tracer/ipft")

# run IPFT|floor: one flood under it; prints "runs ns_per_run datagrams_per_s".
run() {
	if [ "$1" = floor ]; then
		# shellcheck disable=SC2086 # one argument per tracepoint
		noop_start "$NOOP" "$tmp/noop.out" $tracepoints
		flood noop
		kill $noop
		wait $noop || true
	else
		# shellcheck disable=SC2086 # args: several options
		ipft_start "$1" "$tmp/ipft.err" $args -w "$tmp/trace.pcapng"
		flood ipft_tp
		kill -INT $ipft
		wait $ipft || true
	fi
	echo "$time $(tail -n 1 "$tmp/recv" | cut -d' ' -f2)"
}

echo "round build runs ns_per_run datagrams_per_s"
each_round "$runs" run "$@"
