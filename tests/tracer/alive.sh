#!/bin/sh
# Packets that stay alive: datagrams queued on a socket nobody reads.  Their
# hits wait in the kernel's tracking map (one record per packet); ipft must
# still write them, as partial traces with their path so far, once they
# are older than --flush-timeout, and at exit.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ia$$"
ns=/run/netns/$NS_A

# 1. --flush-timeout 1: written while ipft runs, about a second after.
f=$T/timeout.pcapng
start_ipft "$f" -w "$f" --flush-timeout 1 --netns "$ns"
udp_sink 7001
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7001 3 || die "netpeer failed"
sent=$(date +%s)
i=0
while [ "$(tshark_plain -r "$f" -Y 'udp.dstport == 7001' 2>/dev/null | wc -l)" -lt 3 ] &&
	[ $i -lt 80 ]; do
	i=$((i + 1)); sleep 0.1
done
check "alive datagrams are in the file while ipft runs (after about $(($(date +%s) - sent)) s)" \
	[ "$(tshark_plain -r "$f" -Y 'udp.dstport == 7001' | wc -l)" -eq 3 ]
stop_ipft INT
check "exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
tshark_plain -r "$f" -Y 'udp.dstport == 7001' -T fields -e frame.comment >"$T/timeout.txt"
cat "$T/timeout.txt"
check "their paths reach B's UDP receive queue" \
	[ "$(grep -c 'net_dev_queue > .*netif_receive_skb' "$T/timeout.txt")" -eq 3 ]
check "their paths do not claim a free" [ "$(grep -c 'kfree_skb\|consume_skb' "$T/timeout.txt")" -eq 0 ]
"$DUMP" "$f" | grep '^  TRACE' >"$T/timeout.dump"
check "three partial traces" [ "$(grep -c 'flags=partial' "$T/timeout.dump")" -ge 3 ]

# 2. At exit: queued datagrams written as partial, with their events.
f=$T/exit.pcapng
start_ipft "$f" -w "$f" --netns "$ns"
udp_sink 7002
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7002 2 || die "netpeer failed"
sleep 0.3
stop_ipft INT
check "exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
tshark_plain -r "$f" -Y 'udp.dstport == 7002' -T fields -e frame.comment >"$T/exit.txt"
cat "$T/exit.txt"
check "both queued datagrams written at exit" [ "$(wc -l <"$T/exit.txt")" -eq 2 ]
check "with their path" [ "$(grep -c 'net_dev_queue > .*netif_receive_skb' "$T/exit.txt")" -eq 2 ]
check "the STATS record counts their events" \
	sh -c "'$DUMP' '$f' | grep -q '^  STATS events=[1-9]'"
wait
finish
