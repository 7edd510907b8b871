#!/bin/sh
# One packet through a VXLAN tunnel between two namespaces (issue 13): a
# datagram to a closed port behind the tunnel is one packet_id from its
# send on the tunnel device to its drop behind the other end.  Its
# headers change twice: encapsulated (a snapshot at the underlay's
# net_dev_queue: the outer VXLAN headers, with the inner frame) and
# decapsulated (a snapshot at the receive entry after vxlan_rcv: the inner
# headers again).  The kernel here has no GRE, IPIP or Geneve driver: the
# other tunnels are left to the VM guests (docs/design.md).
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
make_pair "lv$$"
r=${IP_A#10.}; r=${r%%.*}
IN_A=192.168.$r.1 IN_B=192.168.$r.2
for side in "$NS_A $IF_A $IP_A $IP_B $IN_A" "$NS_B $IF_B $IP_B $IP_A $IN_B"; do
	set -- $side
	ip -n "$1" link add vxl0 type vxlan id 42 local "$3" remote "$4" dstport 4789 dev "$2" ||
		die "vxlan"
	ip -n "$1" addr add "$5/24" dev vxl0
	ip -n "$1" link set vxl0 up
done
f=$T/vxlan.pcapng

start_ipft "$f" -w "$f" --netns "/run/netns/$NS_A"
ip netns exec "$NS_A" "$NETPEER" udp "$IN_B" 9 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
chmod a+r "$f"

# The first EPB of each datagram: the inner headers on the tunnel device.
tshark_plain -r "$f" -Y "udp.dstport == 9 && ip.dst == $IN_B && !vxlan && !exported_pdu" \
	-T fields -e frame.packet_id -e frame.interface_name -e frame.comment >"$T/first.txt"
cat "$T/first.txt"
check "two datagrams, two packet ids, captured on vxl0" \
	[ "$(cut -f1,2 "$T/first.txt" | sort -u | grep -c '	vxl0$')" -eq 2 ]
path='^net_dev_queue > net_dev_start_xmit > .*net_dev_queue > net_dev_start_xmit > .*netif_rx_entry > .*'
path="$path"'napi_gro_receive_entry > .*kfree_skb (NO_SOCKET)$'
check "each one packet: sent on vxl0, encapsulated, received, decapsulated, dropped" \
	[ "$(cut -f3 "$T/first.txt" | sed 's/\[[^]]*\] //g' | grep -c "$path")" -eq 2 ]

# (an exported PDU's tags give ip.src and ip.dst a second time)
tsp -2 -r "$f" -Y "ipft.snapshot >= 1" -T fields -e ipft.packet_id -e ipft.snapshot \
	-e ipft.snapshot.event -e frame.interface_name -e ip.src -e ip.dst -e vxlan.vni \
	-e ipft.frame >"$T/snaps.txt"
cat "$T/snaps.txt"
for id in $(cut -f1 "$T/first.txt" | sort -u); do
	hex=$(printf '0x%016x' "$id")
	check "$hex: snapshot 1, encapsulated: outer $IP_A > $IP_B, VNI 42, at net_dev_queue on $IF_A" \
		grep -q "^$hex	1	net_dev_queue	$IF_A	$IP_A,$IN_A	$IP_B,$IN_B	42	" "$T/snaps.txt"
	check "$hex: snapshot 2, decapsulated: $IN_A > $IN_B at napi_gro_receive_entry on vxl0" \
		grep -Eq "^$hex	2	napi_gro_receive_entry	vxl0	$IN_A(,$IN_A)?	$IN_B(,$IN_B)?		" "$T/snaps.txt"
done
check "each snapshot links to the first EPB and the other snapshot" \
	[ "$(awk -F'\t' 'split($8, a, ",") == 2' "$T/snaps.txt" | wc -l)" -eq 4 ]
finish
