#!/bin/sh
# One packet across layer 2 (issue 13): a bridge namespace whose two veth
# ports join two hosts, and a tc mirred redirect from one veth to
# another.  Each datagram is one packet_id from the sending host to its
# drop in the receiving one, through the bridge's ports or the redirect;
# its headers are not rewritten, so it has no snapshot.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
need_tracing
n=l2$$
r=$(( ($$ + $(date +%N | sed 's/^0*//;s/^$/0/')) % 200 + 20 ))
for ns in h1 h2 br; do
	ip netns add "$n-$ns" || die "netns"
	add_cleanup "ip netns del $n-$ns"
	ip -n "$n-$ns" link set lo up
	ip netns exec "$n-$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ip -n "$n-br" link add br0 type bridge
ip -n "$n-br" link set br0 up
for h in h1 h2; do
	ip link add "$n$h" netns "$n-$h" type veth peer "${n}p$h" netns "$n-br" || die "veth"
	ip -n "$n-br" link set "${n}p$h" master br0
	ip -n "$n-br" link set "${n}p$h" up
	ip -n "$n-$h" link set "$n$h" up
done
ip -n "$n-h1" addr add "10.$r.3.1/24" dev "${n}h1"
ip -n "$n-h2" addr add "10.$r.3.2/24" dev "${n}h2"

# through_bridge: datagrams h1 -> h2 across br0.
f=$T/bridge.pcapng
start_ipft "$f" -w "$f" --netns "/run/netns/$n-h1" "udp port 9"
ip netns exec "$n-h1" "$NETPEER" udp "10.$r.3.2" 9 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
tshark_plain -r "$f" -Y "udp.dstport == 9 && !icmp" -T fields -e frame.packet_id \
	-e frame.interface_name -e frame.comment >"$T/bridge.txt"
cat "$T/bridge.txt"
check "bridge: two datagrams, two EPBs, captured where h1 sends them" \
	[ "$(cut -f1,2 "$T/bridge.txt" | sort -u | grep -c "	${n}h1$")" -eq 2 ]
path='^net_dev_queue > net_dev_start_xmit > .*netif_receive_skb > .*net_dev_queue > '
path="$path"'net_dev_start_xmit > .*netif_rx_entry > .*kfree_skb (NO_SOCKET)$'
check "bridge: each one packet from h1 across the bridge to its drop in h2" \
	[ "$(cut -f3 "$T/bridge.txt" | sed 's/\[[^]]*\] //g' | grep -c "$path")" -eq 2 ]

# through_mirred: in the bridge namespace, what arrives on h1's port is
# redirected out of h2's port by tc, not by the bridge.
ip -n "$n-br" link set "${n}ph1" nomaster
ip -n "$n-br" link set "${n}ph2" nomaster
ip netns exec "$n-br" tc qdisc add dev "${n}ph1" ingress || die "tc"
ip netns exec "$n-br" tc filter add dev "${n}ph1" ingress protocol all u32 match u32 0 0 \
	action mirred egress redirect dev "${n}ph2" || die "tc mirred"
f=$T/mirred.pcapng
start_ipft "$f" -w "$f" --netns "/run/netns/$n-h1" "udp port 9"
ip netns exec "$n-h1" "$NETPEER" udp "10.$r.3.2" 9 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
tshark_plain -r "$f" -Y "udp.dstport == 9 && !icmp" -T fields -e frame.packet_id \
	-e frame.interface_name -e frame.comment >"$T/mirred.txt"
cat "$T/mirred.txt"
check "mirred: two datagrams, two EPBs" [ "$(cut -f1 "$T/mirred.txt" | sort -u | wc -l)" -eq 2 ]
check "mirred: each one packet from h1, redirected, to its drop in h2" \
	[ "$(cut -f3 "$T/mirred.txt" | sed 's/\[[^]]*\] //g' | grep -c "$path")" -eq 2 ]
finish
