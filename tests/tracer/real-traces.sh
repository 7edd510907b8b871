# real-traces.sh - real trace files for the tests that damage them (sourced
# after common.sh; needs root): tests/fuzz/fuzz.sh seeds libFuzzer with
# them, tests/plugin/mutated.sh mutates them for tshark and the plugin.
#
# real_traces DIR: traces the same traffic between two namespaces twice,
# into DIR/option.pcapng (traces as EPB options, the default) and
# DIR/blocks.pcapng (--trace-blocks): datagrams to a closed port (dropped,
# NO_SOCKET, with the ICMP errors), datagrams queued on a socket nobody
# reads (partial traces at exit), a TCP connection (handshake, data,
# close) and a connection refused (a RST), with -x meta,task (key/values,
# packed and not).  Only namespace A's packets
# are traced (--netns), so traffic elsewhere on the machine stays out.
# Dies when a file is missing a drop, a partial trace or its statistics.
real_traces() {
	rt_dir=$1
	make_pair "rt$$"
	rt_port=$(( $$ % 20000 + 20000 ))
	for rt_carrier in option blocks; do
		rt_f=$rt_dir/$rt_carrier.pcapng
		rt_extra=
		[ $rt_carrier = blocks ] && rt_extra=--trace-blocks
		# The sink lives 8 s, the server until netpeer's alarm: started
		# once ipft traces (attaching takes seconds on a loaded machine).
		start_ipft "$rt_f" -w "$rt_f" $rt_extra -x meta,task --netns "/run/netns/$NS_A"
		udp_sink 7001
		rt_sink=$!
		ip netns exec "$NS_B" "$NETPEER" tcp-server $rt_port >"$T/rt-server.out" &
		rt_server=$!
		wait_lines 1 5 "$T/rt-server.out" listening || die "tcp-server did not start"
		ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 - - 100 || die "netpeer udp failed"
		ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7001 2 || die "netpeer udp failed"
		ip netns exec "$NS_A" "$NETPEER" tcp-client "$IP_B" $rt_port || die "tcp-client failed"
		ip netns exec "$NS_A" "$NETPEER" tcp-client "$IP_B" $((rt_port + 1)) 2>/dev/null || true
		wait $rt_server || die "tcp-server failed"
		wait_drops 3 "$rt_f"
		stop_ipft INT
		kill $rt_sink 2>/dev/null || true
		wait $rt_sink 2>/dev/null || true
		[ "$IPFT_RC" -eq 0 ] || die "ipft $rt_extra exited $IPFT_RC"
		"$DUMP" "$rt_f" >"$T/rt-$rt_carrier.dump" || die "$rt_f does not read back"
		grep -q 'reason=NO_SOCKET' "$T/rt-$rt_carrier.dump" &&
			grep -q '^  TRACE .*flags=partial' "$T/rt-$rt_carrier.dump" &&
			grep -q '^  STATS ' "$T/rt-$rt_carrier.dump" ||
			die "$rt_f lacks a drop, a partial trace or its statistics"
		chmod a+r "$rt_f"
	done
}
