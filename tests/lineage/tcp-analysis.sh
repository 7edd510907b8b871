#!/bin/sh
# Header snapshots and Wireshark's TCP analysis (issue 13).  A packet whose
# headers change on its way has more than one EPB; a second EPB of one TCP
# segment in one conversation would be a retransmission to Wireshark.
# Two TCP transfers of 300 kB through a router namespace, each traced by
# ipft while tcpdump captures the client's and the server's veth:
# - through DNAT and masquerade: the snapshots after the translation are
#   packets of their own (the other conversation, as the server's veth
#   sees it): ipft's file holds the segments of both tcpdump captures and
#   no TCP analysis flag more often than they do;
# - forwarded without translation: the snapshots (new Ethernet header,
#   TTL) are exported PDUs that the plugin decodes as an ICMP error's
#   quoted packet, outside TCP's analysis: the file holds the segments of
#   the client's capture, no flag more often, and no retransmission
#   tcpdump did not see.
# The flags that weigh a segment against the window the other side last
# advertised depend on where a capture is taken (tests/tracer/time-order.sh)
# and are left out of the comparison.
set -eu
. "$top_srcdir/tests/lineage/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
need_nft
command -v tcpdump >/dev/null || die "tcpdump missing: sh tests/setup.sh installs it"
VIEWPOINT='^tcp\.analysis\.(window_full|zero_window_probe|zero_window_probe_ack)$'

# capture NS IF FILE PORT: tcpdump in the background until stop_captures.
captures=""
capture() {
	ip netns exec "$1" tcpdump --immediate-mode -U -i "$2" -s 256 -w "$3" "tcp port $4" \
		2>"$3.err" &
	captures="$captures $!"
	add_cleanup "kill $!"
	i=0
	until grep -q listening "$3.err" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || die "tcpdump did not start"
		sleep 0.1
	done
}
stop_captures() { sleep 0.5; kill $captures; for p in $captures; do wait "$p" || true; done; captures=""; }

# transfer NAME DST PORT SERVER_PORT: ipft and tcpdump while the client
# sends 300 kB to DST PORT (the server listens on SERVER_PORT).
transfer() {
	capture "$NS_C" "$IF_C" "$T/$1.client.pcap" "$3"
	capture "$NS_S" "$IF_S" "$T/$1.server.pcap" "$4"
	start_ipft "$T/$1.pcapng" -w "$T/$1.pcapng" "tcp port $3 or tcp port $4"
	# (the server gives up after 10 s: started once all the rest is)
	ip netns exec "$NS_S" "$NETPEER" tcp-server "$4" >"$T/$1.server" &
	srv=$!
	until grep -q listening "$T/$1.server" 2>/dev/null; do sleep 0.1; done
	ip netns exec "$NS_C" "$NETPEER" tcp-send "$2" "$3" 300000 || die "tcp-send failed"
	wait "$srv" || true
	stop_captures
	stop_ipft INT
	check "$1: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	# What ipft said it wrote and lost: a segment missing below is
	# explained by these or is a bug.
	grep -E 'packets written to|lost|not followed|partial traces|dropped' "$T/ipft.stderr" |
		sed "s/^/$1: /" || true
	chmod a+r "$T/$1".*
}

segments() {
	tsp -r "$1" -Y "tcp && !exported_pdu" -T fields -e tcp.srcport -e tcp.dstport \
		-e tcp.seq_raw -e tcp.len -e tcp.flags | sort
}
flags() {
	tsp -r "$1" -Y tcp.analysis.flags -T pdml |
		awk '/<field name="_ws.expert"/ { getline; if (match($0, /name="tcp\.analysis\.[a-z_]*"/))
			print substr($0, RSTART + 6, RLENGTH - 7) }' | sort | uniq -c
}
# compare NAME REFERENCE: ipft's file against tcpdump's capture(s).
compare() {
	segments "$T/$1.pcapng" | grep -v '^$' >"$T/$1.ipft.segs" || true
	segments "$2" | grep -v '^$' >"$T/$1.tcpdump.segs" || true
	check "$1: ipft's file holds the $(wc -l <"$T/$1.tcpdump.segs") segments tcpdump captured" \
		sh -c "[ -s '$T/$1.tcpdump.segs' ] && cmp -s '$T/$1.ipft.segs' '$T/$1.tcpdump.segs'"
	# Each segment only tcpdump has, and wherever ipft's file has its
	# sequence number (a snapshot, another packet's trace).
	diff "$T/$1.ipft.segs" "$T/$1.tcpdump.segs" | sed -n 's/^> //p' | head -5 >"$T/$1.missing" || true
	sed "s/^/$1: only tcpdump's: /" "$T/$1.missing"
	while read -r _ _ seq _; do
		tsp -r "$T/$1.pcapng" -Y "tcp.seq_raw == $seq" -T fields -e frame.number \
			-e frame.packet_id -e ipft.snapshot -e frame.comment </dev/null | sed "s/^/$1: seq $seq in ipft's file: /"
	done <"$T/$1.missing"
	flags "$T/$1.pcapng" >"$T/$1.ipft.flags"
	flags "$2" >"$T/$1.tcpdump.flags"
	echo "$1: TCP analysis flags, ipft:"; cat "$T/$1.ipft.flags"
	echo "$1: TCP analysis flags, tcpdump:"; cat "$T/$1.tcpdump.flags"
	check "$1: no TCP analysis flag in ipft's file more often than in tcpdump's" \
		awk -v vp="$VIEWPOINT" 'NR == FNR { want[$2] = $1; next }
			$2 !~ vp && $1 > want[$2] + 0 { bad++ } END { exit bad > 0 }' \
		"$T/$1.tcpdump.flags" "$T/$1.ipft.flags"
}

# Through DNAT and masquerade: both sides' captures, merged.
make_router "ta$$"
router_nat
transfer nat "$IP_R0" 7000 9
mergecap -w "$T/nat.tcpdump.pcapng" "$T/nat.client.pcap" "$T/nat.server.pcap"
chmod a+r "$T/nat.tcpdump.pcapng"
n=$(tsp -r "$T/nat.pcapng" -Y "ipft.snapshot >= 1 && tcp && ip.dst == $IP_S" | wc -l)
check "nat: the segments after the translation are snapshots decoded as TCP ($n)" [ "$n" -gt 5 ]
compare nat "$T/nat.tcpdump.pcapng"

# Forwarded without a translation: the client's capture.
make_router "tf$$"
transfer fwd "$IP_S" 7002 7002
n=$(tsp -r "$T/fwd.pcapng" -Y "ipft.snapshot >= 1 && exported_pdu && ip.ttl == 63" | wc -l)
check "fwd: the forwarded segments' snapshots are exported PDUs the plugin decodes ($n)" \
	[ "$n" -gt 5 ]
# Outside the analysis: no relative sequence numbers, no flags.
check "fwd: none of them is in TCP's sequence analysis" \
	[ "$(tsp -r "$T/fwd.pcapng" -Y "ipft.snapshot >= 1 && (tcp.seq != tcp.seq_raw || tcp.analysis.flags)" | wc -l)" -eq 0 ]
compare fwd "$T/fwd.client.pcap"
# The snapshots add none; a segment the kernel really sent again (a
# loaded machine) is in both files.
retrans() { awk '$2 == "tcp.analysis.retransmission" { print $1 }' "$1"; }
r_ipft=$(retrans "$T/fwd.ipft.flags") r_dump=$(retrans "$T/fwd.tcpdump.flags")
check "fwd: the retransmissions in ipft's file are tcpdump's (${r_ipft:-0}, ${r_dump:-0})" \
	[ "${r_ipft:-0}" -eq "${r_dump:-0}" ]
# Without the plugin Wireshark shows the snapshots as exported PDUs with
# their addresses (ip.dst filters find them): no TCP, so no flag either.
n=$(tsv -r "$T/fwd.pcapng" -Y "exported_pdu && ip.dst == $IP_S && !tcp" | wc -l)
m=$(tsv -r "$T/fwd.pcapng" -Y "exported_pdu && tcp" | wc -l)
check "fwd, no plugin: $n snapshots show their addresses, $m hold TCP" sh -c "[ $n -gt 5 ] && [ $m -eq 0 ]"
finish
