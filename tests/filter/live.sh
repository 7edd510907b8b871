#!/bin/sh
# pcap-filter expressions and shortcut flags decide in the kernel which
# packets enter the trace: mixed traffic between two namespaces, and only
# the matching packets appear in the file.
set -u
. "$top_srcdir/tests/lib.sh"
need_root
NETPEER=$top_builddir/tests/tracer/netpeer
[ -x "$IPFT" ] && [ -x "$NETPEER" ] || die "ipft or netpeer not built"
command -v ping >/dev/null || die "ping is missing (iputils-ping: tests/setup.sh installs it)"
make_pair "if$$"

# traffic: UDP to ports 9 and 10, a TCP connection to a closed port, a ping
traffic() {
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 10 3
	ip netns exec "$NS_A" "$NETPEER" tcp-client "$IP_B" 8081 2>/dev/null
	ip netns exec "$NS_A" ping -c 1 -W 1 "$IP_B" >/dev/null 2>&1
	sleep 0.5
}

# datagrams from port 5555 to ports 9, 10 and 11: one 5-tuple, two near it
traffic_5555() {
	for port in 9 10 11; do
		ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" $port 3 - 5555
	done
	sleep 0.5
}

# run NAME ARGS...: trace the traffic ($TRAFFIC, default traffic) with
# ARGS into $T/NAME.pcapng
run() {
	name=$1; shift
	start_ipft "$T/$name.pcapng" -w "$T/$name.pcapng" --netns "/run/netns/$NS_A" "$@"
	${TRAFFIC:-traffic}
	stop_ipft INT
	"$TSHARK" -r "$T/$name.pcapng" -Y frame.packet_id -T fields -e ip.proto -e udp.dstport \
		-e tcp.dstport -e icmp.type 2>/dev/null >"$T/$name.txt"
	sed "s/^/  $name: /" "$T/$name.txt"  # what a failed check below saw
}

run expr 'udp port 9'
check "'udp port 9': ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check_clone_records "'udp port 9' (the filter's subprograms spliced in)"
check "'udp port 9': exactly the three datagrams to port 9" \
	sh -c "[ \$(grep -c . '$T/expr.txt') = 3 ] && [ \$(grep -c '^17	9	' '$T/expr.txt') = 3 ]"

run flags --proto tcp --dport 8081
check "--proto tcp --dport 8081: only the SYN to the closed port" \
	sh -c "[ \$(grep -c . '$T/flags.txt') = 1 ] && grep -q '^6		8081' '$T/flags.txt'"

run both --proto udp 'port 10 or port 9'
check "--proto udp AND an expression: the six datagrams, no ICMP" \
	sh -c "[ \$(grep -c . '$T/both.txt') = 6 ] && ! grep -q '^1[,	]' '$T/both.txt'"

TRAFFIC=traffic_5555
run tuple --proto udp --saddr "$IP_A" --daddr "$IP_B" --sport 5555 --dport 9
TRAFFIC=
check "the five shortcuts together (a 5-tuple): only the three datagrams to port 9" \
	sh -c "[ \$(grep -c . '$T/tuple.txt') = 3 ] && [ \$(grep -c '^17	9	' '$T/tuple.txt') = 3 ]"

run l2only 'not ether broadcast and udp port 10'
check "an expression with link-layer fields: the three datagrams to port 10 (seen with a MAC header)" \
	sh -c "[ \$(grep -c . '$T/l2only.txt') = 3 ] && [ \$(grep -c '^17	10	' '$T/l2only.txt') = 3 ]"
check "an expression with link-layer fields: said once that packets without a MAC header cannot match" \
	sh -c "[ \$(grep -c 'needs link-layer fields' '$T/ipft.stderr') = 1 ]"

"$IPFT" -w "$T/loop.pcapng" 'ip6 protochain 6' >"$T/loop.out" 2>&1
rc=$?
check "a looping expression (protochain): exit 1 with one line saying why, nothing written" \
	sh -c "[ $rc -eq 1 ] && [ \$(grep -c . '$T/loop.out') = 1 ] && grep -q 'backward jump' '$T/loop.out' && [ ! -e '$T/loop.pcapng' ]"

run icmp icmp
check "'icmp': the echo request and reply and the port-unreachable errors, nothing else" \
	sh -c "[ \$(grep -c . '$T/icmp.txt') -ge 2 ] && ! grep -qv '^1[,	]' '$T/icmp.txt'"

"$IPFT" -w "$T/bad.pcapng" 'tcp port' >"$T/bad.out" 2>&1
rc=$?
check "an invalid expression: exit 1" [ $rc -eq 1 ]
check "an invalid expression: one line with libpcap's message, nothing written" \
	sh -c "[ \$(grep -c . '$T/bad.out') = 1 ] && grep -q \"bad filter expression 'tcp port': .*syntax error\" '$T/bad.out' && [ ! -e '$T/bad.pcapng' ]"
finish
