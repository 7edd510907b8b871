#!/bin/sh
# Time order: three concurrent TCP transfers of 300 kB from namespace A to
# namespace B, traced by ipft (both sides: the data leaves A, the ACKs
# start in B) while tcpdump captures the same veth in B.
#  - ipft's packets are in time order: their times never go back, and
#    reordercap -n counts as out of order only the Custom Blocks that
#    follow a packet (run information and statistics carry no time; the
#    reordercap of 4.6 no longer counts them);
#  - ipft's file holds the segments tcpdump saw (but those the kernel kept
#    from ipft's program, nested in itself on a CPU: counted, reported),
#    and Wireshark's TCP
#    analysis flags nothing in it more often than in tcpdump's capture
#    (packets written in the order they ended showed up as suspected
#    retransmissions and segments not captured), but for the flags that
#    depend on where a capture is taken (below).
#  - The ACKs' interface is first seen after the first packet, so the file
#    has an IDB after its first EPB: reordercap 4.0 fails to rewrite it
#    ("epb.interface_id (1) >= wdh->interface_data->len (1)": it sets up
#    its output with the interfaces read before the first packet), the
#    reordercap of 4.4 and 4.6 rewrites it, and so do editcap, mergecap
#    and tshark -w of 4.0.  The reordercap of each Wireshark chroot that
#    make check-wireshark-compat keeps (IPFT_CACHE) is tried too.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
command -v tcpdump >/dev/null || die "tcpdump is missing (tests/setup.sh installs it)"
for tool in reordercap editcap mergecap; do
	command -v $tool >/dev/null || die "$tool is missing (wireshark-common)"
done
make_pair "io$$"
port=$(( $$ % 20000 + 20000 ))
BYTES=300000

f=$T/ipft.pcapng
start_ipft "$f" -w "$f" "tcp and host $IP_A and host $IP_B"
# -s 256 and a 16 MB buffer: tcpdump's copy of a 64 kB GSO packet would
# otherwise overflow its buffer on this two-CPU machine (drops).
ip netns exec "$NS_B" tcpdump -n -i "$IF_B" -s 256 -B 16384 --immediate-mode \
	--time-stamp-precision=nano -U -w "$T/tcpdump.pcap" "tcp and host $IP_A" 2>"$T/tcpdump.err" &
tcpd=$!
add_cleanup "kill $tcpd"
wait_lines 1 5 "$T/tcpdump.err" 'listening on' || die "tcpdump did not start"
# The servers give up after a while (netpeer's alarm): started once ipft
# and tcpdump capture (attaching takes seconds on a loaded machine).
for p in $port $((port + 1)) $((port + 2)); do
	ip netns exec "$NS_B" "$NETPEER" tcp-server $p >"$T/server.$p" &
	add_cleanup "kill $!"
	wait_lines 1 5 "$T/server.$p" listening || die "tcp-server did not start"
done
pids=
for p in $port $((port + 1)) $((port + 2)); do
	ip netns exec "$NS_A" "$NETPEER" tcp-send "$IP_B" $p $BYTES &
	pids="$pids $!"
done
for p in $pids; do wait $p || die "tcp-send failed"; done
sleep 0.5
kill -INT $tcpd
wait $tcpd || true
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
cat "$T/tcpdump.err"
check "tcpdump dropped nothing" grep -q '^0 packets dropped by kernel' "$T/tcpdump.err"

# The file's records (EPB and CB; SHB, IDB and ISB are not records) in
# order, from the reader.
"$DUMP" "$f" >"$T/dump.txt"
grep -E '^(EPB|CB) ' "$T/dump.txt" | awk '{ print $1 }' >"$T/records"
cbs_after_packets=$(awk 'prev == "EPB" && $1 == "CB" { n++ } { prev = $1 } END { print n + 0 }' "$T/records")
records=$(wc -l <"$T/records")
# (Where one goes back, it and the one before are printed.)
check "pcapng-dump: the packets' times never go back" awk '
	/^EPB / { for (i = 1; i <= NF; i++) if ($i ~ /^ts=/) { t = substr($i, 4)
		  if (n++ && t < last) { bad++; print "back " last - t " ns:"; print prev; print }
		  last = t; prev = $0 } }
	END { exit !(n > 0 && bad == 0) }' "$T/dump.txt"
check "the file has an interface description after its first packet" \
	sh -c "grep -E '^(EPB|IDB) ' '$T/dump.txt' | awk '/^EPB/ { e = 1 } /^IDB/ && e { late = 1 } END { exit !late }'"

# ws_version CMD...: the major.minor of a Wireshark tool, 4.0 -> 400.
ws_version() {
	"$@" -v | sed -n '1s/^[^0-9]*\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | { read -r a b; echo $((a * 100 + b)); }
}
# traces_kept FILE: FILE has as many packets as ipft's, each with the
# trace of its own packet id.
traces_kept() {
	"$DUMP" "$1" | awk -v want="$(grep -c '^EPB' "$T/records")" '
		/^EPB / { e++; for (i = 1; i <= NF; i++) if ($i ~ /^packetid=/) id = substr($i, 10) }
		/^  TRACE / && $2 == "packet_id=" id { t++ }
		END { exit !(e == want && t == e) }'
}
# reorder NAME HOSTDIR DIR CMD...: reordercap (CMD) on a copy of ipft's
# file in HOSTDIR, which CMD sees as DIR: first -n (count only), then a
# rewrite.
reorder() {
	name=$1 hd=$2 cd=$3
	shift 3
	v=$(ws_version "$@")
	name="$name $((v / 100)).$((v % 100))"
	cp "$f" "$hd/in.pcapng"
	"$@" -n "$cd/in.pcapng" "$cd/n.pcapng" >"$T/re.out" 2>&1 || true
	cat "$T/re.out"
	if [ "$v" -ge 406 ]; then
		check "$name -n: nothing out of order (records without a time are not counted)" \
			grep -qx "$records frames, 0 out of order" "$T/re.out"
	else
		check "$name -n: out of order are only the $cbs_after_packets Custom Blocks that follow a packet" \
			grep -qx "$records frames, $cbs_after_packets out of order" "$T/re.out"
	fi
	rc=0
	"$@" "$cd/in.pcapng" "$cd/out.pcapng" >"$T/re.out" 2>&1 || rc=$?
	cat "$T/re.out"
	if [ "$v" -lt 404 ]; then
		check "$name fails on the interface described after the first packet (rc $rc)" sh -c \
			"[ $rc -ne 0 ] && grep -qF 'epb.interface_id (1) >= wdh->interface_data->len (1)' '$T/re.out'"
	else
		check "$name rewrites the file (rc $rc)" [ "$rc" -eq 0 ]
		check "$name: every packet keeps its trace" traces_kept "$hd/out.pcapng"
	fi
}
reorder reordercap "$T" "$T" reordercap
# The same file through each cached chroot's reordercap.
chroots=0
for root in "${IPFT_CACHE:-/var/cache/ipft}"/*-root; do
	[ -x "$root/usr/bin/reordercap" ] || continue
	d=$(mktemp -d "$root/tmp/time-order.XXXXXX")
	add_cleanup "rm -rf $d"
	reorder "reordercap (${root##*/})" "$d" "/tmp/${d##*/}" chroot "$root" reordercap
	chroots=$((chroots + 1))
done
[ $chroots -gt 0 ] || echo "note: no Wireshark chroot in ${IPFT_CACHE:-/var/cache/ipft}" \
	"(make check-wireshark-compat makes them): only this machine's reordercap was tried"

# The other tools of this machine's Wireshark take the late interface.
editcap "$f" "$T/editcap.pcapng"
check "editcap: every packet keeps its trace" traces_kept "$T/editcap.pcapng"
mergecap -w "$T/mergecap.pcapng" "$f"
check "mergecap: every packet keeps its trace" traces_kept "$T/mergecap.pcapng"
tshark_plain -r "$f" -w "$T/tshark.pcapng"
check "tshark -w: every packet keeps its trace" traces_kept "$T/tshark.pcapng"

# The same segments as tcpdump's, and no TCP analysis flag more.
segments() {
	tshark_plain -r "$1" -Y tcp -T fields -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.len \
		-e tcp.flags | sort
}
segments "$f" >"$T/ipft.segs"
segments "$T/tcpdump.pcap" >"$T/tcpdump.segs"
# A segment may go unseen only where the kernel skipped ipft's program
# (a hit nested in another of the same program on that CPU: an interrupt
# inside a traced call), which ipft counts and reports; never silently,
# and never one that tcpdump did not see.
missing=$(comm -23 "$T/tcpdump.segs" "$T/ipft.segs" | wc -l)
extra=$(comm -13 "$T/tcpdump.segs" "$T/ipft.segs" | wc -l)
nested=$(sed -n 's/.*STATS .* lost_events_nested=\([0-9]*\) .*/\1/p' "$T/dump.txt")
what="ipft's file holds the $(wc -l <"$T/tcpdump.segs") segments tcpdump captured"
if [ -s "$T/tcpdump.segs" ] && [ "$missing" -eq 0 ] && [ "$extra" -eq 0 ]; then
	pass "$what"
elif [ -s "$T/tcpdump.segs" ] && [ "$extra" -eq 0 ] && [ "$missing" -le "${nested:-0}" ]; then
	pass "$what but $missing, where the kernel skipped ipft's program (lost_events_nested=$nested, reported)"
else
	fail "$what ($missing missing, $extra not in tcpdump's, lost_events_nested=${nested:-?})"
	diff "$T/tcpdump.segs" "$T/ipft.segs" | head -20 || true
	grep -E 'lost|not_followed' "$T/dump.txt" | head || true
	tail -5 "$T/ipft.stderr"
fi
# flags FILE: each TCP analysis flag (expert info) with its count.
flags() {
	tshark_plain -r "$1" -Y tcp.analysis.flags -T pdml |
		awk '/<field name="_ws.expert"/ { getline; if (match($0, /name="tcp\.analysis\.[a-z_]*"/))
			print substr($0, RSTART + 6, RLENGTH - 7) }' | sort | uniq -c
}
flags "$f" >"$T/ipft.flags"
flags "$T/tcpdump.pcap" >"$T/tcpdump.flags"
echo "TCP analysis flags, ipft:"; cat "$T/ipft.flags"
echo "TCP analysis flags, tcpdump:"; cat "$T/tcpdump.flags"
# A flag that weighs a segment against the window the other side last
# advertised depends on where the capture is: ipft stamps each packet
# where it starts (data in A, ACKs in B), tcpdump where B's veth sees it
# (data arriving, ACKs leaving), so an ACK and a segment in flight can
# change places.  Those are left out; every flag about one direction's
# own sequence (retransmissions, segments not captured, keep-alives,
# duplicate ACKs, window updates, ...) is compared.
VIEWPOINT='^tcp\.analysis\.(window_full|zero_window_probe|zero_window_probe_ack)$'
# A segment the kernel kept from ipft (above) is one Wireshark says was
# not captured, and whose ACK acknowledges what it did not see.
[ "$missing" -eq 0 ] ||
	VIEWPOINT='^tcp\.analysis\.(window_full|zero_window_probe|zero_window_probe_ack|lost_segment|ack_lost_segment)$'
check "no TCP analysis flag in ipft's file more often than in tcpdump's capture" awk -v vp="$VIEWPOINT" '
	NR == FNR { want[$2] = $1; next } $2 !~ vp && $1 > want[$2] + 0 { bad++ } END { exit bad > 0 }' \
	"$T/tcpdump.flags" "$T/ipft.flags"
finish
