#!/bin/sh
# --headers-only: each packet is cut after its transport header, so no
# payload reaches the file, and keeps its real length.  Traced twice, with
# and without it: three UDP datagrams with 100 bytes of recognisable
# payload to a closed port (and the ICMP errors quoting them), a TCP
# connection sending a line.  tshark decodes every header of the cut
# packets.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ih$$"
ns=/run/netns/$NS_A
# Resolve the neighbour first: the traced packets are the test's.
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"

# trace NAME ARGS...: the traffic traced into $T/NAME.pcapng.
trace() {
	name=$1; shift
	start_ipft "$T/$name.pcapng" -w "$T/$name.pcapng" --netns "$ns" "$@" \
		'udp port 9 or icmp or tcp port 8082'
	# The server gives up after 10 s: started once ipft traces, and used
	# once it listens (a sanitizer build takes seconds to attach).
	ip netns exec "$NS_B" "$NETPEER" tcp-server 8082 >"$T/server" &
	add_cleanup "kill $!"
	wait_lines 1 5 "$T/server" listening || die "the TCP server did not start"
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 - - 100 || die "netpeer failed"
	ip netns exec "$NS_A" "$NETPEER" tcp-client "$IP_B" 8082 || die "netpeer tcp failed"
	wait_drops 3 "$T/$name.pcapng"
	sleep 0.5
	stop_ipft INT
	check "$name: ipft exits 0 (rc $IPFT_RC), capinfos reads the file" \
		sh -c "[ $IPFT_RC -eq 0 ] && '$CAPINFOS' '$T/$name.pcapng' >/dev/null"
}

# payload NAME: how many times the payloads' text is in the file.
payload() {
	grep -a -o -e 'ipft-test-datagram' -e 'hello ipft' "$T/$1.pcapng" | wc -l
}

trace whole
trace cut --headers-only
check "without --headers-only the payload is in the file ($(payload whole) times)" \
	[ "$(payload whole)" -gt 3 ]
check "with --headers-only no payload is in the file ($(payload cut) times)" \
	[ "$(payload cut)" -eq 0 ]

fields() {
	tshark_plain -r "$T/cut.pcapng" -Y "$1" -T fields -E separator=' ' \
		-e frame.len -e frame.cap_len -e ip.hdr_len -e "$2" -e frame.comment
}
fields "udp.dstport == 9 && !icmp" udp.length >"$T/udp"
fields "icmp.type == 3" udp.dstport >"$T/icmp"
fields "tcp.port == 8082" tcp.hdr_len >"$T/tcp"
cat "$T/udp" "$T/icmp" "$T/tcp"
check "datagrams: Ethernet, IP and UDP kept (42 bytes), their length 142, UDP's 108" \
	[ "$(grep -c '^142 42 20 108 .*kfree_skb (NO_SOCKET)' "$T/udp")" -eq 3 ]
check "ICMP errors: their headers and the quoted IP and UDP headers kept (70 bytes)" \
	[ "$(grep -c '^[0-9]* 70 20,20 9 ' "$T/icmp")" -eq 3 ]
# Each TCP segment up to its last option: 14 + IP header + TCP header.
check "TCP segments: cut after their options; the line's segment 11 bytes longer" \
	sh -c "[ \$(wc -l <'$T/tcp') -ge 4 ] &&
		awk '\$2 != 14 + \$3 + \$4 { bad = 1 } \$1 == \$2 + 11 { line = 1 }
		     END { exit bad || !line }' '$T/tcp'"
check "tshark finds no malformed packet" \
	[ -z "$(tshark_plain -r "$T/cut.pcapng" -Y _ws.malformed -T fields -e frame.number)" ]
finish
