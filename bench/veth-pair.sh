# shellcheck shell=sh
# veth-pair.sh - sourced by the benches (overhead.sh, nested.sh,
# hit-time.sh, event-cost.sh) and tests/soak.sh: the two network
# namespaces joined by a veth pair that each of them floods, the wait for a
# process to say it is ready, ipft started, the floor's empty programs on
# ipft's tracepoints, the flood over the pair, and the rounds of builds the
# smaller benches run.

# pair_up NAME NET: namespaces NAME-a and NAME-b joined by the veth pair
# NAMEa/NAMEb, with the addresses NET.1/24 and NET.2/24; loopback up and
# IPv6 off in both (no router solicitations or DAD among the counted).
pair_up() {
	ip netns add "$1-a"
	ip netns add "$1-b"
	ip link add "${1}a" netns "$1-a" type veth peer "${1}b" netns "$1-b"
	ip -n "$1-a" addr add "$2.1/24" dev "${1}a"
	ip -n "$1-b" addr add "$2.2/24" dev "${1}b"
	for side in a b; do
		ip netns exec "$1-$side" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n "$1-$side" link set lo up
		ip -n "$1-$side" link set "$1$side" up
	done
}

# pair_down NAME: both namespaces gone, and the pair with them; for a
# cleanup trap, so it never fails.
pair_down() {
	ip netns del "$1-a" 2>/dev/null || true
	ip netns del "$1-b" 2>/dev/null || true
}

# wait_for FILE PATTERN PID WHAT: until PATTERN is in FILE.  Fails
# (status 1, saying "WHAT did not start") when PID exits first or after
# 120 s: a start that discovers every function can take a while.
wait_for() {
	wait_i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		wait_i=$((wait_i + 1))
		if [ $wait_i -gt 2400 ] || ! kill -0 "$3" 2>/dev/null; then
			echo "${0##*/}: $4 did not start" >&2
			return 1
		fi
		sleep 0.05
	done
}

# ipft_start IPFT ERR ARG...: IPFT -v ARG... in the background, its
# stderr in ERR, until it says it is tracing; its pid in $ipft.  Exits the
# bench (with ipft's stderr) when it does not start.
ipft_start() {
	ipft_bin=$1
	ipft_err=$2
	shift 2
	"$ipft_bin" -v "$@" 2>"$ipft_err" &
	ipft=$!
	wait_for "$ipft_err" '^ipft: tracing' $ipft "$ipft_bin" || { cat "$ipft_err" >&2; exit 1; }
}

# ipft_tracepoints IPFT: the tracepoints IPFT attaches, by the names raw
# tracepoints (bench/noop-attach) go by: ipft -l names them system:name
# when tracefs is mounted, name when not.
ipft_tracepoints() {
	"$1" -l | awk '$1 == "tracepoint" { sub(/.*:/, "", $2); print $2 }'
}

# noop_start NOOP OUT ARG...: bench/noop-attach ARG... in the background,
# its output in OUT, until it says it attached; its pid in $noop.  Exits
# the bench when it does not start.
noop_start() {
	noop_bin=$1
	noop_out=$2
	shift 2
	"$noop_bin" "$@" >"$noop_out" &
	noop=$!
	wait_for "$noop_out" attached $noop noop-attach || exit 1
}

# flood_start FLOOD NAME ADDR SECONDS OUT: FLOOD's receiver in NAME-b for
# SECONDS (on CPU 1, its output in OUT) and, once it is ready, its sender
# in NAME-a to ADDR for a second more (on CPU 0), both in the background:
# their pids in $recv and $send.
flood_start() {
	ip netns exec "$2-b" taskset -c 1 "$1" recv 5001 "$4" >"$5" &
	recv=$!
	wait_for "$5" ready $recv "the receiver" || exit 1
	ip netns exec "$2-a" taskset -c 0 "$1" send "$3" 5001 "$(($4 + 1))" >/dev/null &
	# shellcheck disable=SC2034 # for the caller
	send=$!
}

# each_round RUNS FN BUILD...: FN BUILD for every BUILD in turn, RUNS
# times; a line "round BUILD what-FN-printed" for each.
each_round() {
	round_n=$1
	round_fn=$2
	shift 2
	round=1
	while [ $round -le "$round_n" ]; do
		for round_b in "$@"; do
			echo "$round $round_b $($round_fn "$round_b")"
		done
		round=$((round + 1))
	done
}
