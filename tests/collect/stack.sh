#!/bin/sh
# -x stack on real traffic: datagrams from namespace A to a closed port in
# B are dropped (NO_SOCKET) in __udp4_lib_rcv; the drop's event carries the
# kernel stack, innermost first, without the tracing's own frames, in the
# file, through the plugin (ipft.stack), in JSON (an array) and in
# aggregate ("stack: a < b").  --stack-at adds a stack at every hit of the
# attach points it names (net_dev_queue: the sender's system call); it
# needs -x stack, and a bad expression is refused before anything attaches.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "is$$"
f=$T/stack.pcapng
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 10 1 || die "netpeer failed" # ARP resolved

start_ipft "$f" -w "$f" -o json -x meta,stack --stack-at '^net_dev_queue$' \
	--netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

"$DUMP" "$f" >"$T/dump"
grep ' name=kfree_skb ' "$T/dump" >"$T/drops" || true
check "file: each drop's stack names __udp4_lib_rcv, after the free" \
	[ "$(grep -c 'reason=NO_SOCKET .* stack="[a-z_]*+0x[0-9a-f]*" stack="__udp4_lib_rcv+0x[0-9a-f]*"' "$T/drops")" -eq 3 ]
check "file: the tracing's frames are left out" \
	sh -c "! grep -Eq 'stack=\"(bpf_|__bpf|__traceiter|\\?)' '$T/drops'"
check "file: --stack-at: net_dev_queue's stack goes back to the system call" \
	[ "$(grep -c ' name=net_dev_queue .*stack=.*udp_sendmsg+0x' "$T/dump")" -eq 3 ]
check "file: no stack on the other events" \
	[ "$(grep -c 'stack=' "$T/dump")" -eq 6 ]
check "json: the frames as an array" \
	[ "$(grep -c '"stack":\["[a-z_]*+0x[0-9a-f]*","__udp4_lib_rcv+0x' "$T/ipft.stdout")" -eq 3 ]

if [ -f "${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}" ]; then
	. "$top_srcdir/tests/plugin/plugin-lib.sh"
	chmod a+r "$f"
	n=$(tsp -r "$f" -Y 'ipft.stack contains "__udp4_lib_rcv" && ipft.drop_reason == "NO_SOCKET"' | grep -c . || true)
	check "plugin: a filter on a frame of the stack" [ "$n" -eq 3 ]
fi

start_ipft "$T/agg" -o aggregate -x stack --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"
wait_lines 1 5 "$T/ipft.stdout" 'kfree_skb' || true
stop_ipft INT
check "aggregate: the frames in one bracket" \
	grep -q "kfree_skb  reason=NO_SOCKET .* ( stack: [a-z_]*+0x[0-9a-f]* < __udp4_lib_rcv+0x[0-9a-f]* < " "$T/ipft.stdout"

"$IPFT" --stack-at net_dev_queue -w "$T/x.pcapng" >"$T/out" 2>"$T/err" && rc=0 || rc=$?
check "--stack-at without -x stack: exit 1, one line" \
	sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'needs the stack collector' '$T/err'"
"$IPFT" -x stack --stack-at '(' -w "$T/x.pcapng" >"$T/out" 2>"$T/err" && rc=0 || rc=$?
check "--stack-at with a bad expression: exit 1, one line" \
	sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'regular expression' '$T/err'"
finish
