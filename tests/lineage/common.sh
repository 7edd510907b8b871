# common.sh - what the lineage tests share on top of tests/tracer/common.sh
# (sourced): a router namespace between two others.
. "$top_srcdir/tests/tracer/common.sh"

# make_router NAME: namespaces NAME-c (client), NAME-r (router, IPv4
# forwarding on) and NAME-s (server); NAME-c0 in c is joined to NAME-r0 in
# r (10.R.1.0/24), NAME-r1 in r to NAME-s0 in s (10.R.2.0/24); c and s
# route through r.  Cleaned up at exit.  Sets NS_C NS_R NS_S, IF_C IF_R0
# IF_R1 IF_S, IP_C IP_R0 IP_R1 IP_S.
make_router() {
	n=$1
	NS_C=$n-c NS_R=$n-r NS_S=$n-s
	IF_C=${n}c0 IF_R0=${n}r0 IF_R1=${n}r1 IF_S=${n}s0
	r=$(( ($$ + $(date +%N | sed 's/^0*//;s/^$/0/')) % 200 + 20 ))
	IP_C=10.$r.1.2 IP_R0=10.$r.1.1 IP_R1=10.$r.2.1 IP_S=10.$r.2.2
	for ns in "$NS_C" "$NS_R" "$NS_S"; do
		ip netns add "$ns" || die "ip netns add $ns"
		add_cleanup "ip netns del $ns"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 # as make_pair
	done
	ip link add "$IF_C" netns "$NS_C" type veth peer "$IF_R0" netns "$NS_R" || die "veth"
	ip link add "$IF_R1" netns "$NS_R" type veth peer "$IF_S" netns "$NS_S" || die "veth"
	router_addr "$NS_C" "$IF_C" "$IP_C"
	router_addr "$NS_R" "$IF_R0" "$IP_R0"
	router_addr "$NS_R" "$IF_R1" "$IP_R1"
	router_addr "$NS_S" "$IF_S" "$IP_S"
	ip -n "$NS_C" route add default via "$IP_R0"
	ip -n "$NS_S" route add default via "$IP_R1"
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
}

router_addr() {
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" link set "$2" up
}

need_nft() {
	command -v nft >/dev/null || die "nft missing: sh tests/setup.sh installs nftables"
}

# router_nat: in the router, datagrams and segments to IP_R0 port 7000
# go to IP_S port 9 (DNAT) and everything leaving IF_R1 takes IP_R1 as
# its source (masquerade).
router_nat() {
	ip netns exec "$NS_R" nft -f - <<NFT || die "nft"
table ip ipft_nat {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "$IF_R0" meta l4proto { tcp, udp } th dport 7000 dnat to $IP_S:9
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "$IF_R1" masquerade
	}
}
NFT
}

# router_fragments PCAPNG FILTER FROM TO: the packets of PCAPNG that the
# display FILTER keeps, a line each in $T/pkts.txt (packet_id, source,
# destination, fragment offset, MF, parent_id, lineage, fragment_offset,
# path); DGRAM: the whole datagram FROM > TO that has no parent, checked
# to be one packet.
router_fragments() {
	tsp -2 -r "$1" -Y "$2" -T fields -e ipft.packet_id -e ip.src -e ip.dst -e ip.frag_offset \
		-e ip.flags.mf -e ipft.parent_id -e ipft.lineage -e ipft.fragment_offset \
		-e ipft.path >"$T/pkts.txt"
	cat "$T/pkts.txt"
	DGRAM=$(awk -F'\t' -v from="$3" -v to="$4" \
		'$2 == from && $3 == to && $4 == 0 && $5 == 0 && $6 == "" { print $1 }' "$T/pkts.txt")
	check "the datagram as the client sent it: $3 > $4, whole, no parent ($DGRAM)" \
		[ "$(echo "$DGRAM" | grep -c .)" -eq 1 ]
}

# check_cut_fragments PCAPNG FROM TO: the router cut DGRAM into three
# fragments FROM > TO at 0, 1480 and 2960, each naming it its parent;
# ipft.parent_id finds the three, and the server's reassembled datagram
# lists them.
check_cut_fragments() {
	for at in 0:0:1 185:1480:1 370:2960:0; do
		off=${at%%:*} rest=${at#*:}
		check "the router's fragment at ${rest%:*}, $2 > $3: parent the datagram" \
			grep -q "	$2	$3	$off	${rest#*:}	$DGRAM	fragment	${rest%:*}	" "$T/pkts.txt"
	done
	check "'ipft.parent_id == $DGRAM' finds the three fragments" \
		[ "$(tsp -r "$1" -Y "ipft.parent_id == $DGRAM && ipft.lineage == \"fragment\"" | wc -l)" -eq 3 ]
	frag_ids=$(awk -F'\t' -v d="$DGRAM" '$6 == d && $7 == "fragment" { print $1 }' "$T/pkts.txt" |
		paste -sd, -)
	tsp -r "$1" -Y 'ipft.lineage == "reassembled"' -T fields -E separator=, -e ipft.fragment_id \
		>"$T/ids.txt"
	check "the server's reassembled datagram lists the three ($(cat "$T/ids.txt"))" \
		[ "$(cat "$T/ids.txt")" = "$frag_ids" ]
}
