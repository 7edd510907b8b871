#!/bin/sh
# -m/--mask: only packets whose skb mark matches enter the trace.  The
# sender marks its socket with SO_MARK; unmarked packets go to another port.
# -i: only packets first seen on that device.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "im$$"
f=$T/mark.pcapng

start_ipft "$f" -w "$f" -m 0xbe00 --mask 0xff00
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7001 3 0xbeef || die "netpeer failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7002 3 || die "netpeer failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7003 3 0xab00 || die "netpeer failed"
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
tshark_plain -r "$f" -Y "ip.dst == $IP_B && !icmp" -T fields -e udp.dstport -e frame.comment \
	>"$T/mark.txt"
cat "$T/mark.txt"
check "the three marked datagrams are traced" [ "$(grep -c '^7001	' "$T/mark.txt")" -eq 3 ]
check "unmarked datagrams are not" [ "$(grep -c '^7002	' "$T/mark.txt")" -eq 0 ]
check "datagrams with another mark are not" [ "$(grep -c '^7003	' "$T/mark.txt")" -eq 0 ]

# -i IF_B: the datagrams A sends are first seen on B's side of the veth.
f=$T/iface.pcapng
start_ipft "$f" -w "$f" -i "$IF_B"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 7004 3 || die "netpeer failed"
wait_drops 3 "$f"
stop_ipft INT
tshark_plain -r "$f" -Y "udp.dstport == 7004 && !icmp" -T fields -e frame.interface_name \
	-e frame.comment >"$T/if.txt"
cat "$T/if.txt"
check "-i: the datagrams are traced on $IF_B" [ "$(grep -c "^$IF_B	" "$T/if.txt")" -eq 3 ]
check "-i: their path starts on B's side of the veth" \
	[ "$(grep -c '	netif_rx_entry > ' "$T/if.txt")" -eq 3 ]
check "-i: every interface in the file is $IF_B" \
	sh -c "! '$DUMP' '$f' | grep '^IDB' | grep -v 'name=\"$IF_B\"'"
finish
