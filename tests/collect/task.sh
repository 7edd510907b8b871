#!/bin/sh
# -x task on real traffic: datagrams sent by a process with a name of its
# own (a copy of netpeer called ipft-sender-x) from namespace A to a closed
# port in B.  The send side's first event names the process (context task,
# its pid, tgid and comm); where B's receive path runs in a softirq, the
# event says so; the plugin filters on ipft.comm and ipft.context, JSON has
# them.  The neighbour is resolved first: a datagram waiting for ARP would
# go out from the ARP reply's softirq.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "it$$"
f=$T/task.pcapng
cp "$NETPEER" "$T/ipft-sender-x"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 10 1 || die "netpeer failed"

start_ipft "$f" -w "$f" -o json -x meta,task --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$T/ipft-sender-x" udp "$IP_B" 9 3 &
pid=$!
wait $pid || die "the sender failed"
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

"$DUMP" "$f" >"$T/dump"
check "file: the first event of each datagram names the sending task (pid $pid)" \
	[ "$(grep -c "EVENT 0 .* name=net_dev_queue first .* context=\"task\" pid=$pid tgid=$pid comm=\"ipft-sender-x\"\$" "$T/dump")" -eq 3 ]
check "file: the receive path runs in a softirq" \
	[ "$(grep -c 'name=netif_receive_skb context="softirq"$' "$T/dump")" -eq 3 ]
check "file: a softirq names no task" \
	sh -c "! grep 'context=\"softirq\" pid=' '$T/dump'"
check "json: the task's keys, typed" \
	[ "$(grep -c "\"context\":\"task\",\"pid\":$pid,\"tgid\":$pid,\"comm\":\"ipft-sender-x\"" "$T/ipft.stdout")" -eq 3 ]

if [ -f "${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}" ]; then
	. "$top_srcdir/tests/plugin/plugin-lib.sh"
	chmod a+r "$f"
	check "plugin: a filter on the task's name and pid" \
		[ "$(tsp -r "$f" -Y "ipft.comm == \"ipft-sender-x\" && ipft.pid == $pid && udp" | grep -c .)" -eq 3 ]
	check "plugin: and on the softirq" \
		[ "$(tsp -r "$f" -Y "ipft.context == \"softirq\" && udp" | grep -c .)" -eq 3 ]
fi
finish
