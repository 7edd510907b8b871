#!/bin/sh
# A full tracking map makes room: with --max-inflight 8, twenty datagrams
# queued on a socket nobody reads (alive, never freed) do not shut new
# packets out; the oldest are ended early and written as partial traces
# with their path so far, counted in STATS and on stderr, and every
# datagram is in the file.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "im$$"

f=$T/full.pcapng
start_ipft "$f" -w "$f" --max-inflight 8 --netns "/run/netns/$NS_A"
udp_sink 7003
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7003 20 || die "netpeer failed"
sleep 0.5
stop_ipft INT
cat "$T/ipft.stderr"
check "exit 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "stderr says packets were ended early to make room" \
	grep -q '^ipft: [1-9][0-9]* packets written as partial traces before their end' \
	"$T/ipft.stderr"
tshark_plain -r "$f" -Y 'udp.dstport == 7003' -T fields -e frame.comment >"$T/paths.txt"
check "all 20 datagrams are in the file" [ "$(wc -l <"$T/paths.txt")" -eq 20 ]
check "each with its path to B's receive queue" \
	[ "$(grep -c 'net_dev_queue > .*netif_receive_skb' "$T/paths.txt")" -eq 20 ]
"$DUMP" "$f" >"$T/dump.txt"
grep STATS "$T/dump.txt"
check "STATS counts at least 12 ended early and none refused" \
	awk '/STATS/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
	     END { exit !(v["packets_ended_map_full"] >= 12 && v["lost_packets_map_full"] == 0) }' \
	"$T/dump.txt"
check "their traces are partial" [ "$(grep '^  TRACE' "$T/dump.txt" | grep -c 'partial')" -ge 12 ]
wait
finish
