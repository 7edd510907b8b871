#!/bin/sh
# -s SNAPLEN, live: a 1442-byte UDP datagram (1400 bytes of payload) and a
# 60-byte one, traced with -s 64, the default (256) and the maximum (1024).
# The file says the snaplen (IDB), keeps exactly that many bytes of the big
# datagram with its full length, and the whole small one; the bytes are
# the packet's: tcpdump -s N capturing on the same veth at the same time
# keeps the same ones.  A value above the maximum is refused.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
command -v tcpdump >/dev/null || die "tcpdump not installed (tests/setup.sh)"
make_pair "ic$$"
ns=/run/netns/$NS_A

# run NAME SNAPLEN [ARGS...]: trace both datagrams into $T/NAME.pcapng with
# ARGS, while tcpdump -s SNAPLEN captures them into $T/NAME.pcap.
run() {
	name=$1 snap=$2; shift 2
	f=$T/$name.pcapng
	ip netns exec "$NS_A" tcpdump -i "$IF_A" -s "$snap" -U -w "$T/$name.pcap" 'udp port 9' \
		2>"$T/$name.tcpdump" &
	td=$!
	add_cleanup "kill $td"
	i=0
	until grep -q 'listening on' "$T/$name.tcpdump"; do
		i=$((i + 1)); [ $i -lt 50 ] || die "tcpdump did not start"
		sleep 0.1
	done
	start_ipft "$f" -w "$f" --netns "$ns" "$@" 'udp port 9'
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 - - 1400 || die "netpeer failed"
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"
	wait_drops 2 "$f"
	stop_ipft INT
	kill -INT $td; wait $td || true
	check "$name: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	"$DUMP" "$f" >"$T/$name.dump"
	grep '^IDB\|^EPB' "$T/$name.dump" | sed "s/^/  $name: /; s/ comment=.*//"
	check "$name: the interface's snaplen is $snap" \
		[ "$(grep -c "^IDB linktype=1 snaplen=$snap name=\"$IF_A\"" "$T/$name.dump")" -eq 1 ]
	# tcpdump's tap clones each datagram on its way out: the clone is a
	# packet of its own (lineage), written as an exported PDU.
	awk '/^IDB/ { lt[n++] = $2 } /^EPB/ { sub("if=", "", $3); print lt[$3] }' \
		"$T/$name.dump" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ' >"$T/$name.kinds"
	check "$name: two packets, and the two clones tcpdump made ($(cat "$T/$name.kinds"))" \
		[ "$(cat "$T/$name.kinds")" = "linktype=1=2 linktype=252=2 " ]
	check "$name: the 1442-byte datagram keeps its first $snap bytes" \
		[ "$(grep -c "^EPB .* caplen=$snap origlen=1442 " "$T/$name.dump")" -eq 1 ]
	check "$name: the 60-byte datagram is whole" \
		[ "$(grep -c '^EPB .* caplen=60 origlen=60 ' "$T/$name.dump")" -eq 1 ]
	tshark_plain -r "$f" -Y 'udp.dstport == 9' -T fields -e frame.len -e frame.cap_len \
		-e frame.comment >"$T/$name.txt"
	check "$name: tshark reads the same lengths, and both paths" sh -c \
		"[ \"\$(cut -f1,2 '$T/$name.txt' | tr '\t\n' ' |')\" = '1442 $snap|60 60|' ] &&
		 [ \$(grep -c '	net_dev_queue > .*kfree_skb (NO_SOCKET)$' '$T/$name.txt') -eq 2 ]"
	tcpdump -r "$f" -nn -xx greater 1000 2>/dev/null | grep '^[[:space:]]*0x' >"$T/$name.ipft.hex"
	tcpdump -r "$T/$name.pcap" -nn -xx greater 1000 2>/dev/null | grep '^[[:space:]]*0x' \
		>"$T/$name.tcpdump.hex"
	check "$name: its $snap bytes are those tcpdump -s $snap captured ($(wc -l <"$T/$name.ipft.hex") lines of hex)" \
		sh -c "[ -s '$T/$name.ipft.hex' ] && cmp -s '$T/$name.ipft.hex' '$T/$name.tcpdump.hex'"
}

run short 64 -s 64
run default 256
run max 1024 --snaplen 1024
# The payload as netpeer sends it (its text repeated), as far as it was kept.
awk 'BEGIN { t = "ipft-test-datagram"; while (length(s) < 982) s = s t; printf "%s", substr(s, 1, 982) }' |
	od -An -tx1 | tr -d ' \n' >"$T/payload.hex"
tshark_plain -r "$T/max.pcapng" -Y 'frame.len == 1442' -T fields -e data.data | tr -d '\n' >"$T/max.data"
check "max: the 982 bytes of payload kept are netpeer's" cmp -s "$T/payload.hex" "$T/max.data"

for s in 1025 0; do
	rc=0
	"$IPFT" -w "$T/refused.pcapng" -s $s >"$T/refused.out" 2>&1 || rc=$?
	cat "$T/refused.out"
	check "-s $s is refused: exit 1, one line naming the range, no file" sh -c \
		"[ $rc -eq 1 ] && [ \$(wc -l <'$T/refused.out') -eq 1 ] &&
		 grep -q \"^ipft: bad --snaplen '$s': .*1 to 1024\" '$T/refused.out' && [ ! -e '$T/refused.pcapng' ]"
done
finish
