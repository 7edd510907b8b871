#!/bin/sh
# nested.sh - how many hits the kernel skipped because ipft's program was
# already running on that CPU (its recursion guard: an interrupt inside a
# traced call), per run of a TCP workload, for one or more ipft builds in
# turn.
#
# Two namespaces joined by a veth pair; three concurrent TCP transfers of
# 3 MB from one to the other (tests/tracer/netpeer), traced with
# `ipft -v -w FILE 'tcp and host A'`.  Per run it prints the build, the
# hits skipped (ipft's "events lost: the kernel did not run ipft's
# program" line; 0 when it has none) and the events written.
#
#   sh bench/nested.sh BUILD_DIR [IPFT...]     (root; or: make bench-nested)
#   RUNS=10 sh bench/nested.sh build /tmp/other/ipft
# With no IPFT the build's tracer/ipft runs; RUNS (default 5) rounds, each
# running every IPFT once, in the order given.
set -eu

build=${1:?usage: nested.sh BUILD_DIR [IPFT...]}
shift
[ $# -gt 0 ] || set -- "$build/tracer/ipft"
NETPEER=$build/tests/tracer/netpeer
runs=${RUNS:-5}
[ "$(id -u)" = 0 ] || { echo "nested: needs root (namespaces, BPF)" >&2; exit 1; }
[ -x "$NETPEER" ] || { echo "nested: $NETPEER not built (make check builds it)" >&2; exit 1; }

# shellcheck source=bench/veth-pair.sh
. "$(dirname "$0")/veth-pair.sh"
n=ipftn$$
tmp=$(mktemp -d /dev/shm/ipft-nested.XXXXXX 2>/dev/null || mktemp -d)
cleanup() {
	pkill -f "$NETPEER tcp-server" 2>/dev/null || true
	pair_down "$n"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pair_up "$n" 10.251.0

# run IPFT: one traced workload; prints "skipped written".
run() {
	err=$tmp/ipft.err
	ipft_start "$1" "$err" -w "$tmp/trace.pcapng" 'tcp and host 10.251.0.1'
	for p in 5001 5002 5003; do
		ip netns exec "$n-b" "$NETPEER" tcp-server $p >"$tmp/server.$p" &
		wait_for "$tmp/server.$p" listening $! "tcp-server $p" || exit 1
	done
	pids=
	for p in 5001 5002 5003; do
		ip netns exec "$n-a" "$NETPEER" tcp-send 10.251.0.2 $p 3000000 &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
	sleep 0.5
	kill -INT $ipft
	wait $ipft || true
	pkill -f "$NETPEER tcp-server" 2>/dev/null || true
	skipped=$(sed -n "s/^ipft: \([0-9]*\) events lost: the kernel did not run.*/\1/p" "$err")
	written=$(sed -n 's/.* written to .*, \([0-9]*\) events$/\1/p' "$err")
	echo "${skipped:-0} ${written:-?}"
}

echo "round build hits_skipped events_written"
each_round "$runs" run "$@"
