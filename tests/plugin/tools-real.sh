#!/bin/sh
# Wireshark's file tools on real trace files: ipft traces real traffic
# between two namespaces (tests/tracer/real-traces.sh: drops, partial
# traces, a TCP connection), once with the traces as EPB options (the
# default) and once with --trace-blocks, and tshark with the plugin (as an
# unprivileged user) reads what editcap -A/-B (a time range), editcap -s
# (snap length), reordercap and tshark's export of specified packets
# (-Y ... -w) make of each.
#
# What each tool keeps is compared packet by packet with the original:
# epb_packetid, the plugin's packet id, drop reason, events, partial flag,
# path, and the packet comment.  The EPB option survives every tool.
# --trace-blocks does not: editcap -A/-B leave out the blocks (they carry
# no time) and so does an export of specified packets (a block is not a
# packet the filter shows); the packets keep their packet id and their
# path as the packet comment, and nothing else of the trace.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
. "$top_srcdir/tests/tracer/real-traces.sh"
need_tracing
for tool in editcap reordercap; do
	command -v $tool >/dev/null || die "$tool is missing (wireshark-common)"
done
real_traces "$T"
# The tools write where tshark (as nobody) can write and read.
: >"$T/errors"
mkdir "$T/out"
chmod 777 "$T/out"

# view FILE: one line per packet: epb_packetid, then the plugin's view of
# the trace (packet id, drop reason, events, partial, path), the comment.
view() {
	tsp -r "$1" -Y frame.packet_id -T fields -e frame.packet_id -e ipft.packet_id \
		-e ipft.drop_reason -e ipft.events -e ipft.partial -e ipft.path -e frame.comment
	grep -v 'Running as user' "$T/tsp.err" >>"$T/errors" || true
}
# same_view WANT GOT: both views list the same packets, the same way.
same_view() {
	[ -s "$1" ] && cmp -s "$1" "$2" || { diff "$1" "$2" | head -5; return 1; }
}
# no_trace_view WANT GOT: GOT has WANT's packets with their packet id and
# comment, and no trace.
no_trace_view() {
	awk -F'\t' '{ print $1 "\t\t\t\t\t\t" $7 }' "$1" >"$1.bare"
	same_view "$1.bare" "$2"
}
# pick IDS VIEW: the lines of VIEW whose packet is listed in the file IDS.
pick() { awk -F'\t' 'NR == FNR { want[$1] = 1; next } $1 in want' "$1" "$2"; }
# cbs_first FILE N: FILE's first N records are Custom Blocks.
cbs_first() {
	"$DUMP" "$1" | grep -E '^(EPB|CB) ' | head -n "$2" | awk '!/^CB/ { bad++ } END { exit bad > 0 || NR == 0 }'
}
# trace_blocks FILE: how many Custom Blocks hold traces.
trace_blocks() { "$DUMP" "$1" | grep -c '^  TRACE ' || true; }
# ws_version TOOL: its major.minor as a number, 4.0 -> 400.
ws_version() {
	"$1" -v | sed -n '1s/^[^0-9]*\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | { read -r a b; echo $((a * 100 + b)); }
}

for c in option blocks; do
	f=$T/$c.pcapng
	view "$f" >"$T/$c.view"
	cat "$T/$c.view"
	n=$(wc -l <"$T/$c.view")
	check "$c: the plugin shows every packet's trace, with its own packet id" \
		[ "$(tsp -r "$f" -Y 'ipft.packet_id == frame.packet_id' | wc -l)" -eq "$n" ]

	# editcap -A/-B: the packets from the 3rd to before the 12th.
	tsp -r "$f" -Y frame.packet_id -T fields -e frame.time_epoch >"$T/times"
	a=$(sed -n 3p "$T/times") b=$(sed -n 12p "$T/times")
	editcap -A "$a" -B "$b" "$f" "$T/out/$c-ab.pcapng"
	view "$T/out/$c-ab.pcapng" >"$T/$c-ab.view"
	# Times have the same number of digits: a string comparison is exact.
	paste "$T/times" "$T/$c.view" | awk -F'\t' -v a="$a" -v b="$b" '$1 >= a && $1 < b' |
		cut -f2- >"$T/$c-ab.want"
	if [ $c = option ]; then
		check "$c: editcap -A/-B keeps the time range's $(wc -l <"$T/$c-ab.want") packets with their traces" \
			same_view "$T/$c-ab.want" "$T/$c-ab.view"
	else
		check "$c: editcap -A/-B keeps the time range's packets with their packet ids and comments, but no trace" \
			no_trace_view "$T/$c-ab.want" "$T/$c-ab.view"
		check "$c: editcap -A/-B leaves out every trace block" \
			[ "$(trace_blocks "$T/out/$c-ab.pcapng")" -eq 0 ]
	fi

	# editcap -s: 64 bytes of each packet, the traces whole.
	editcap -s 64 "$f" "$T/out/$c-s.pcapng"
	view "$T/out/$c-s.pcapng" >"$T/$c-s.view"
	check "$c: editcap -s 64 keeps every packet's trace" same_view "$T/$c.view" "$T/$c-s.view"
	check "$c: editcap -s 64 cut the packets" sh -c "\"$DUMP\" '$T/out/$c-s.pcapng' |
		awk '/^EPB / { for (i = 1; i <= NF; i++) if (\$i ~ /^caplen=/) { n++; if (substr(\$i, 8) + 0 > 64) bad++ } }
		     END { exit !(n == $n && bad == 0) }'"

	# reordercap: rewritten in time order, the traces whole.
	reordercap "$T/$c.pcapng" "$T/out/$c-re.pcapng" >"$T/re.out"
	cat "$T/re.out"
	view "$T/out/$c-re.pcapng" >"$T/$c-re.view"
	check "$c: reordercap keeps every packet's trace" same_view "$T/$c.view" "$T/$c-re.view"
	if [ "$(ws_version reordercap)" -lt 406 ]; then
		# Records without a time sort before every packet.
		check "$c: reordercap before 4.6 moves the Custom Blocks before the first packet" \
			cbs_first "$T/out/$c-re.pcapng" "$("$DUMP" "$f" | grep -c '^CB ')"
	fi

	# An export of specified packets: the datagrams to the closed port.
	filter='udp.dstport == 9 && !icmp'
	tsp -r "$f" -Y "$filter" -w "$T/out/$c-y.pcapng"
	view "$T/out/$c-y.pcapng" >"$T/$c-y.view"
	tsp -r "$f" -Y "$filter && frame.packet_id" -T fields -e frame.packet_id >"$T/$c-y.ids"
	pick "$T/$c-y.ids" "$T/$c.view" >"$T/$c-y.want"
	if [ $c = option ]; then
		check "$c: tshark -Y '$filter' -w keeps the $(wc -l <"$T/$c-y.want") datagrams with their traces" \
			same_view "$T/$c-y.want" "$T/$c-y.view"
		tsp -r "$f" -Y ipft.drop_reason -w "$T/out/$c-d.pcapng"
		view "$T/out/$c-d.pcapng" >"$T/$c-d.view"
		awk -F'\t' '$3 != ""' "$T/$c.view" >"$T/$c-d.want"
		check "$c: tshark -Y ipft.drop_reason -w keeps the $(wc -l <"$T/$c-d.want") dropped packets with their traces" \
			same_view "$T/$c-d.want" "$T/$c-d.view"
	else
		check "$c: tshark -Y '$filter' -w keeps the datagrams with their packet ids and comments, but no trace" \
			no_trace_view "$T/$c-y.want" "$T/$c-y.view"
		check "$c: tshark -Y ... -w leaves out every trace block" \
			[ "$(trace_blocks "$T/out/$c-y.pcapng")" -eq 0 ]
	fi
done
check "tshark with the plugin read every file without an error" sh -c "! grep . '$T/errors'"
finish
