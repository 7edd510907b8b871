#!/bin/sh
# -x meta on real traffic: datagrams from namespace A to a
# closed port in B over a veth pair.  Each packet's first event says it
# all (A's device and namespace, len, protocol, packet type, gso, ...);
# a TCP transfer's super-packets say their gso size, segments and type;
# the device and the namespace change where veth hands the packet to B,
# and only there, with len 14 bytes shorter (the Ethernet header pulled).
# Checked in the file (pcapng-dump, the packet comment), through the
# plugin (ipft.dev, ipft.netns, ipft.len, the Info path, ipft/Devices),
# in JSON (typed values) and in aggregate (ipftrace2's brackets); without
# -x (the default) none of it is written.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "im$$"
nsa=$(stat -L -c %i "/run/netns/$NS_A")
nsb=$(stat -L -c %i "/run/netns/$NS_B")
f=$T/meta.pcapng

start_ipft "$f" -w "$f" -o json -x meta --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
cp "$T/ipft.stdout" "$T/json"

"$DUMP" "$f" >"$T/dump"
grep '^EPB' "$T/dump" | grep "udp\|NO_SOCKET" >"$T/epbs" || true
first=$(grep -c " first dev=\"$IF_A\" ifindex=[0-9]* netns=$nsa len=60 data_len=0 mark=0x0 protocol=0x800 pkt_type=\"host\" cloned=[01] gso_size=0 gso_segs=[01] gso_type=\"none\"\$" "$T/dump" || true)
check "file: each first event has every meta key, for A's device and namespace ($first of 3)" \
	[ "$first" -eq 3 ]
hops=$(grep -c "EVENT [1-9][0-9]* .* name=[a-z_]* dev=\"$IF_B\" netns=$nsb len=46\$" "$T/dump" || true)
check "file: one later event per packet says B's device and namespace, len 46 ($hops of 3)" \
	[ "$hops" -eq 3 ]
check "file: no other event names a device" \
	[ "$(grep -c ' dev=' "$T/dump")" -eq 6 ]
"$DUMP" -p "$f" >"$T/dump-packed"
check "file: each first event's keys are one packed attribute (format.md 2.4, PACKED)" \
	[ "$(grep -c " first { dev=\"$IF_A\" ifindex=[0-9]* netns=$nsa len=60 .* gso_type=\"none\" }\$" "$T/dump-packed")" -eq 3 ]
check "file: so is the hop's" \
	[ "$(grep -c " { dev=\"$IF_B\" netns=$nsb len=46 }\$" "$T/dump-packed")" -eq 3 ]
check "file: the packet comment shows the hop" \
	[ "$(grep -c "comment=\"net_dev_queue > .* > \[$IF_B, ns $nsb\] [a-z_]* > .*kfree_skb (NO_SOCKET)\"" "$T/dump")" -eq 3 ]

check "json: the first event's values, typed" \
	[ "$(grep -c "\"function\":\"net_dev_queue\".*\"dev\":\"$IF_A\",\"ifindex\":[0-9]*,\"netns\":$nsa,\"len\":60,\"data_len\":0,\"mark\":\"0x0\",\"protocol\":\"0x800\",\"pkt_type\":\"host\"" "$T/json")" -eq 3 ]
check "json: the hop, once per packet" \
	[ "$(grep -c "\"dev\":\"$IF_B\",\"netns\":$nsb,\"len\":46," "$T/json")" -eq 3 ]

if [ -f "${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}" ]; then
	. "$top_srcdir/tests/plugin/plugin-lib.sh"
	chmod a+r "$f"
	tsp -r "$f" -Y "udp.dstport == 9 && !icmp" -T fields -e ipft.dev -e ipft.netns -e ipft.len \
		>"$T/fields"
	cat "$T/fields"
	check "plugin: ipft.dev, ipft.netns and ipft.len, in the order of the events" \
		[ "$(grep -c "^$IF_A,$IF_B	$nsa,$nsb	60,46" "$T/fields")" -eq 3 ]
	check "plugin: a filter on the second device" \
		[ "$(tsp -r "$f" -Y "ipft.dev == \"$IF_B\" && ipft.netns == $nsb && udp" | grep -c .)" -eq 3 ]
	check "plugin: the Info column's path shows the hop" \
		[ "$(tsp -r "$f" -Y udp | grep -c "\[ipft: net_dev_queue > .* > \[$IF_B, ns $nsb\] ")" -eq 3 ]
	tsp -r "$f" -q -z ipft_devs,tree >"$T/devs"
	check "plugin: ipft/Devices counts the packets on each device" \
		sh -c "grep -Eq '^ $IF_A +3 ' '$T/devs' && grep -Eq '^ $IF_B +3 ' '$T/devs'"
fi

start_ipft "$T/agg" -o aggregate -x meta --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"
wait_lines 1 5 "$T/ipft.stdout" 'kfree_skb' || true
stop_ipft INT
cat "$T/ipft.stdout"
check "aggregate: ipftrace2's brackets on the first event" \
	grep -q "^ *[0-9.]* [0-9]* net_dev_queue ( dev: $IF_A ifindex: [0-9]* netns: $nsa len: 60 data_len: 0 mark: 0x0 protocol: 0x800 pkt_type: host" "$T/ipft.stdout"
check "aggregate: the hop" grep -q " [a-z_]* ( dev: $IF_B netns: $nsb len: 46 )\$" "$T/ipft.stdout"

# gso: a TCP transfer's super-packets (veth offers TSO) say their gso
# size and type where they change, as the extension's test sees them.
start_ipft "$T/tcp" -w "$T/tcp.pcapng" -x meta --netns "/run/netns/$NS_A" "tcp port 8080"
tcp_server 8080
ip netns exec "$NS_A" "$NETPEER" tcp-send "$IP_B" 8080 200000 || die "tcp-send failed"
sleep 1
stop_ipft INT
"$DUMP" "$T/tcp.pcapng" >"$T/tcp-dump"
check "file: a super-packet of the transfer: gso_size 1448, segments, tcpv4" \
	grep -Eq ' gso_size=1448 gso_segs=[2-9][0-9]* gso_type="tcpv4' "$T/tcp-dump"

start_ipft "$T/none" -w "$T/none.pcapng" --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"
wait_drops 1 "$T/none.pcapng"
stop_ipft INT
check "without -x: the packet is traced, without key/values" \
	sh -c "'$DUMP' '$T/none.pcapng' | grep -q 'NO_SOCKET' && ! '$DUMP' '$T/none.pcapng' | grep EVENT | grep -q ' len='"
finish
