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
