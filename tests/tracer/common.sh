# common.sh - what the tracer tests share on top of tests/lib.sh (sourced).
. "$top_srcdir/tests/lib.sh"
NETPEER=$top_builddir/tests/tracer/netpeer

need_tracing() {
	need_root
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF (CONFIG_DEBUG_INFO_BTF)"
	[ -x "$IPFT" ] || die "$IPFT not built"
	[ -x "$NETPEER" ] || die "$NETPEER not built"
}

# wait_drops COUNT FILE: polls FILE (being written by ipft) until COUNT
# packets dropped with NO_SOCKET are in it, for at most 5 seconds.  A
# packet waits for earlier ones still in flight before it is written, so
# they may only come at the stop.
wait_drops() {
	i=0
	while [ "$("$DUMP" "$2" 2>/dev/null | grep -c 'NO_SOCKET)')" -lt "$1" ] && [ $i -lt 50 ]; do
		i=$((i + 1)); sleep 0.1
	done
}

# tcp_server PORT: a TCP server in namespace B (stopped at the test's
# end); returns once it listens.
tcp_server() {
	ip netns exec "$NS_B" "$NETPEER" tcp-server "$1" >"$T/server" &
	add_cleanup "kill $!"
	wait_lines 1 5 "$T/server" listening || die "tcp-server did not start"
}

# udp_sink PORT: a socket bound in namespace B that never reads, for 8
# seconds (datagrams to it stay queued: alive); returns once it is bound.
udp_sink() {
	ip netns exec "$NS_B" "$NETPEER" udp-sink "$1" 8 >"$T/sink.$1" &
	i=0
	until grep -q bound "$T/sink.$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || die "udp-sink did not start"
		sleep 0.1
	done
}
