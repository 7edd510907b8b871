#!/bin/sh
# A full tracking map ends its oldest packet while another CPU may be
# adding a hit to it: such a hit is counted (lost_events_map_race), never
# lost silently.  Two floods, one per CPU, into a socket that never reads
# (delivered datagrams stay tracked), with --max-inflight 1: nearly every
# new packet ends one the other CPU is still handling.  The count is an
# upper bound (a hit may have gone out with its packet after all).
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
ncpu=$(nproc)
[ "$ncpu" -ge 2 ] || die "this test needs two CPUs (the race is between two)"
make_pair "ir$$"

# The flush timeout keeps ipft's sweep (which ends packets the same way)
# out of the count: only the full map ends packets here.
start_ipft /dev/null -w /dev/null --max-inflight 1 --flush-timeout 60 \
	--netns "/run/netns/$NS_A"
ip netns exec "$NS_B" "$NETPEER" udp-sink 9 10 >"$T/sink" &
sleep 0.5
taskset -c 0 ip netns exec "$NS_A" "$NETPEER" udp-flood "$IP_B" 9 2 &
taskset -c 1 ip netns exec "$NS_A" "$NETPEER" udp-flood "$IP_B" 9 2 &
wait %2 %3
stop_ipft INT
cat "$T/ipft.stderr"
count() { sed -n "s/^ipft: \([0-9]*\) $1.*/\1/p" "$T/ipft.stderr"; }
ended=$(count 'packets written as partial traces before their end')
raced=$(count 'events perhaps lost: they landed while another CPU ended their packet')
check "exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "packets were ended to make room (${ended:-none})" [ "${ended:-0}" -gt 0 ]
check "hits racing with that were counted (${raced:-none})" [ "${raced:-0}" -gt 0 ]
wait
finish
