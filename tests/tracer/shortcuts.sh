#!/bin/sh
# The shortcuts --saddr, --daddr and --sport, live: datagrams that match
# and datagrams that must not, both ways between two namespaces, from fixed
# source ports (outside the ephemeral range, so other traffic on the host
# does not match).  Each run sends the same traffic:
#   A -> B port 9 from port 20000 (2), A -> B port 9 from port 20001 (2),
#   B -> A port 9 from port 20000 (2); each side answers with ICMP errors
# (those of an ICMP error are its own, not those of the datagram it quotes).
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "is$$"
PATH_RE='^net_dev_queue > .*netif_receive_skb > .*kfree_skb (NO_SOCKET)$'
# Fixed neighbours: no ARP (which 'src host' also matches) during the runs.
mac() { ip -n "$1" -o link show "$2" | sed 's/.* link\/ether \([0-9a-f:]*\) .*/\1/'; }
ip -n "$NS_A" neigh replace "$IP_B" lladdr "$(mac "$NS_B" "$IF_B")" dev "$IF_A" nud permanent
ip -n "$NS_B" neigh replace "$IP_A" lladdr "$(mac "$NS_A" "$IF_A")" dev "$IF_B" nud permanent

# run NAME EXPECTED ARGS...: trace the traffic with ARGS (no namespace
# filter: it goes both ways) until EXPECTED datagrams are dropped.
run() {
	name=$1 expected=$2; shift 2
	f=$T/$name.pcapng
	start_ipft "$f" -w "$f" "$@"
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 - 20000 || die "netpeer failed"
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 - 20001 || die "netpeer failed"
	ip netns exec "$NS_B" "$NETPEER" udp "$IP_A" 9 2 - 20000 || die "netpeer failed"
	wait_drops "$expected" "$f"
	sleep 0.3 # a datagram that should not match has had time to show up
	stop_ipft INT
	check "$*: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	tshark_plain -r "$f" -Y frame.packet_id -E occurrence=f -T fields -e ip.src -e ip.dst -e ip.proto \
		-e udp.srcport -e udp.dstport -e frame.comment >"$T/$name.txt"
	sed "s/^/  $name: /" "$T/$name.txt"
	# the traced UDP datagrams, as "SRC DST SPORT"
	awk -F'\t' '$3 == 17 && $5 == 9 { print $1, $2, $4 }' "$T/$name.txt" | sort >"$T/$name.udp"
	check "$*: each traced datagram's path ends in kfree_skb (NO_SOCKET)" \
		[ "$(awk -F'\t' '$3 == 17' "$T/$name.txt" | cut -f6 | grep -vc "$PATH_RE")" -eq 0 ]
}

# udp_is NAME LINES...: the traced datagrams are exactly LINES.
udp_is() {
	name=$1; shift
	printf '%s\n' "$@" | sort | cmp -s - "$T/$name.udp"
}

run saddr 4 --saddr "$IP_A"
check "--saddr $IP_A: the four datagrams A sent, from both ports, none of B's" \
	udp_is saddr "$IP_A $IP_B 20000" "$IP_A $IP_B 20000" "$IP_A $IP_B 20001" "$IP_A $IP_B 20001"
check "--saddr $IP_A: every packet traced comes from $IP_A (A's ICMP errors too)" \
	[ "$(cut -f1 "$T/saddr.txt" | sort -u)" = "$IP_A" ]

run daddr 4 --daddr "$IP_B"
check "--daddr $IP_B: the four datagrams to B, none to A" \
	udp_is daddr "$IP_A $IP_B 20000" "$IP_A $IP_B 20000" "$IP_A $IP_B 20001" "$IP_A $IP_B 20001"
check "--daddr $IP_B: every packet traced goes to $IP_B" \
	[ "$(cut -f2 "$T/daddr.txt" | sort -u)" = "$IP_B" ]

run sport 4 --sport 20000
check "--sport 20000: the four datagrams from port 20000, both ways, none from 20001" \
	udp_is sport "$IP_A $IP_B 20000" "$IP_A $IP_B 20000" "$IP_B $IP_A 20000" "$IP_B $IP_A 20000"
check "--sport 20000: nothing else (the ICMP errors have no source port)" \
	[ "$(wc -l <"$T/sport.txt")" -eq 4 ]

run all 2 --saddr "$IP_A" --daddr "$IP_B" --sport 0x4e20
check "--saddr, --daddr and --sport 0x4e20 together: the two datagrams A sent from port 20000" \
	udp_is all "$IP_A $IP_B 20000" "$IP_A $IP_B 20000"
check "the three together: nothing else" [ "$(wc -l <"$T/all.txt")" -eq 2 ]
check "the three together: the shell header records them" \
	sh -c "'$DUMP' '$T/all.pcapng' | grep -q '^SHB .* --saddr $IP_A --daddr $IP_B --sport 0x4e20; backend'"
finish
