#!/bin/sh
# A pcap-filter expression is decided once per packet, not at every attach
# point (bpf/pcap_once.bpf.h): marked datagrams to a closed port over a
# namespace's loopback pass 8 tracepoints each (net_dev_queue to kfree_skb),
# and the expression runs at net_dev_queue, not at the 6 points after it
# (at the free it would run again, but the mark is gone by then).  The mark filter keeps every other packet of the machine away
# from the expression; ipft -v says how often it ran.  What the expression
# matches is unchanged: the same run with a matching expression traces
# every datagram, its whole path.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
NS=io$$
N=50
ip netns add "$NS" || die "ip netns add"
add_cleanup "ip netns del $NS"
ip -n "$NS" link set lo up

# between LO HI: $runs is within [LO, HI].
between() { [ "${runs:-0}" -ge "$1" ] && [ "${runs:-0}" -le "$2" ]; }

# run FILTER: ipft -v with -m 0x5eed and FILTER over N marked datagrams.
run() {
	start_ipft "$T/f.pcapng" -w "$T/f.pcapng" -m 0x5eed "$1"
	ip netns exec "$NS" "$NETPEER" udp 127.0.0.1 9 $N 0x5eed || die "netpeer failed"
	sleep 1
	stop_ipft INT
	check "'$1': ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	runs=$(sed -n 's/^ipft: the pcap-filter expression ran \([0-9]*\) times$/\1/p' "$T/ipft.stderr")
	echo "'$1': the expression ran ${runs:-?} times for $N datagrams"
}

run 'tcp port 443'
check "nothing matches: no packet written" \
	grep -q "^ipft: 0 packets written" "$T/ipft.stderr"
# Without the note it ran 350 times for 50 (7 of the 8 tracepoints: the
# mark is gone by the free).
check "the expression ran at most twice per datagram ($runs for $N)" between $N $((2 * N))

run 'udp port 9'
tshark_plain -r "$T/f.pcapng" -Y 'udp.dstport == 9' -T fields -e frame.comment >"$T/paths"
check "a matching expression still traces every datagram" [ "$(grep -c . "$T/paths")" -eq $N ]
check "each from net_dev_queue to its drop" \
	[ "$(grep -c '^net_dev_queue > net_dev_start_xmit > .* > kfree_skb (NO_SOCKET)$' "$T/paths")" -eq $N ]
check "matched at its first sight: the expression ran once per datagram ($runs for $N)" \
	between $N $N
finish
