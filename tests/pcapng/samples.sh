#!/bin/sh
# The checked-in samples/ are what samples/ipft-gen-samples writes today
# through the tracer's own writer (byte for byte), and Wireshark's own
# tools read them without complaint and find in them what the generator
# put in (an independent reading, with the expected values written here).
set -eu
. "$top_srcdir/tests/lib.sh"

SAMPLES="udp-drop trace-blocks tcp-handshake function-graph big-trace kv lineage"

"$top_builddir/samples/ipft-gen-samples" "$T" || die "ipft-gen-samples failed"
for f in $SAMPLES; do
	check "$f.pcapng regenerates byte for byte" \
		cmp "$T/$f.pcapng" "$top_srcdir/samples/$f.pcapng"
	check "capinfos reads $f.pcapng" sh -c "'$CAPINFOS' '$T/$f.pcapng' >/dev/null 2>'$T/err' && ! [ -s '$T/err' ]"
	check "tshark reads $f.pcapng" sh -c "'$TSHARK' -r '$T/$f.pcapng' >/dev/null 2>'$T/err' && ! grep -v 'Running as user' '$T/err' | grep -q ."
	check "pcapng-dump decodes $f.pcapng" sh -c "'$DUMP' '$T/$f.pcapng' >'$T/$f.txt'"
done
check "udp-drop: path with the drop reason" \
	grep -q 'comment="netif_receive_skb > ip_rcv > .* > kfree_skb (NO_SOCKET)"' "$T/udp-drop.txt"
check "udp-drop: drop location" grep -q 'location=__udp4_lib_rcv+0x8f1' "$T/udp-drop.txt"
check "trace-blocks: the trace block comes right before its EPB" \
	sh -c "grep -E '^(EPB|CB|  TRACE)' '$T/trace-blocks.txt' | head -3 | tr '\n' ' ' | grep -q '^CB pen=32473 .*  TRACE .*EPB 0'"
check "tcp-handshake: 3 packets, 3 distinct packet ids" \
	sh -c "[ \$(grep -o 'TRACE packet_id=0x[0-9a-f]*' '$T/tcp-handshake.txt' | sort -u | wc -l) = 3 ]"
check "function-graph: return events carry retval and duration" \
	grep -q 'kind=return depth=3 name=__udp4_lib_rcv retval=0 duration=850' "$T/function-graph.txt"
check "big-trace: the trace is split over 3 parts" \
	sh -c "[ \$(grep -c 'TRACE .* part=[0-2]/3' '$T/big-trace.txt') = 3 ]"
check "kv: every value type" \
	grep -q 'len=61 headroom_delta=-14 dev="veth0" cb=bytes:deadbeef00010203 mark=0xc0ffee' "$T/kv.txt"
check "STATS: the tracer's counters, partial traces counted" \
	grep -qx '  STATS events=3000 packets=1 packets_written=1 partial_traces=1 lost_events_ringbuf_full=0 lost_packets_map_full=0 reused_skb_addresses=0 packets_ended_map_full=0 lost_events_map_race=0 events_over_packet_cap=0 lost_events_nested=0 clock_changes=0 clock_changes_sum_ns=0' "$T/big-trace.txt"
# Bad input: one line naming the problem and where it is, exit status 1.
head -c 1000 "$T/udp-drop.pcapng" >"$T/cut.pcapng"
check "a truncated file is refused at the block's offset" sh -c \
	"! '$DUMP' '$T/cut.pcapng' >/dev/null 2>'$T/err' &&
	 [ \$(wc -l <'$T/err') = 1 ] && grep -q 'offset 940: block of 248 bytes is truncated' '$T/err'"
cp "$T/udp-drop.pcapng" "$T/v2.pcapng"
printf '\002' | dd of="$T/v2.pcapng" bs=1 seek=556 conv=notrunc 2>/dev/null
check "a newer trace format version is named" sh -c \
	"! '$DUMP' '$T/v2.pcapng' >/dev/null 2>'$T/err' && grep -q 'unsupported ipft format version 2' '$T/err'"

# docs/format.md's worked example is the real udp-drop.pcapng: each hex
# dump line (offset: 16 bytes) and each row of the byte-by-byte table that
# shows all its bytes (| 0xOFFSET | `bytes` | ...) match the file there.
grep -E '^[0-9a-f]{8}: ' "$top_srcdir/docs/format.md" | while IFS= read -r line; do
	echo "${line%%:*} $(printf '%s' "${line#*: }" | cut -c1-39 | tr -d ' ')"
done >"$T/doc-hex"
grep -E '^\| 0x[0-9a-f]+ \| `' "$top_srcdir/docs/format.md" | cut -d'|' -f2,3 | grep -vF '...' |
	while IFS='|' read -r off bytes; do
		echo "$(echo $off | sed 's/^0x//') $(echo $bytes | tr -d ' `')"
	done >>"$T/doc-hex"
doc_hex_matches() {
	while read -r off hex; do
		got=$(od -An -tx1 -v -j $((0x$off)) -N $((${#hex} / 2)) "$T/udp-drop.pcapng" | tr -d ' \n')
		[ "$hex" = "$got" ] || { echo "offset 0x$off: the doc says $hex, the file has $got"; return 1; }
	done <"$T/doc-hex"
}
check "docs/format.md shows udp-drop.pcapng's bytes (hex dump and table)" \
	sh -c "[ \$(wc -l <'$T/doc-hex') -ge 40 ]"
check "... and every one of those is right" doc_hex_matches
# Its pcapng-dump example (section 4): every line that elides nothing is
# a line of the dump of udp-drop.pcapng.
awk '/^## 4\./ { s = 1 } s && /^```$/ { n++; next } s && n == 1 && !/\.\.\./' \
	"$top_srcdir/docs/format.md" >"$T/doc-dump"
doc_dump_matches() {
	while IFS= read -r line; do
		grep -qxF -- "$line" "$T/udp-drop.txt" || { echo "not in the dump: $line"; return 1; }
	done <"$T/doc-dump"
}
check "docs/format.md's pcapng-dump example shows udp-drop.pcapng's lines" \
	sh -c "[ \$(wc -l <'$T/doc-dump') -ge 6 ]"
check "... and every one of those is right" doc_dump_matches

# ---- the independent reading: Wireshark without the plugin ----------------

# Per packet (EPB): number, time, interface name and description,
# direction, packet id, length, addresses, UDP port or TCP flags and the
# path comment.  A path longer than 200 characters (the writer cuts them
# at 1024) is shown as its start and length.
epb_fields() {
	tshark_plain --disable-protocol ipft -r "$T/$1.pcapng" -Y eth -T fields -E separator='|' \
		-e frame.number -e frame.time_epoch -e frame.interface_name \
		-e frame.interface_description -e frame.packet_flags_direction -e frame.packet_id \
		-e frame.len -e ip.src -e ip.dst -e udp.dstport -e tcp.flags -e frame.comment |
		awk -F'|' -v OFS='|' '{ if (length($12) > 200) $12 = substr($12, 1, 30) "... (" length($12) " characters)"; print }'
}
# expect_epbs SAMPLE <<EOF: the epb_fields lines wanted.
expect_epbs() {
	cat >"$T/$1.want"
	epb_fields "$1" >"$T/$1.got"
	check "tshark without the plugin: $1's packets (time, interface, direction, id, headers, path)" \
		diff "$T/$1.want" "$T/$1.got"
}
# Packet ids are salt << 40 | counter: salts 0x5a17e0, 0x0d6e55, 0x7c3a91,
# 0x2e8d04, 0xb1f6c3, 0x49d27a, 0x11ea9e.  Direction 1 inbound, 2 outbound.
expect_epbs udp-drop <<'EOF'
1|1700000000.000001000|veth0|ifindex 2, netns 4026532287|0x00000001|6491903678482481153|61|10.0.0.1|10.0.0.2|9999||netif_receive_skb > ip_rcv > ip_rcv_finish > ip_local_deliver > ip_local_deliver_finish > __udp4_lib_rcv > kfree_skb (NO_SOCKET)
EOF
expect_epbs trace-blocks <<'EOF'
2|1700000000.000001000|veth0|ifindex 2, netns 4026532287|0x00000001|967804428419596289|61|10.0.0.1|10.0.0.2|9999||netif_receive_skb > ip_rcv > ip_rcv_finish > ip_local_deliver > ip_local_deliver_finish > __udp4_lib_rcv > kfree_skb (NO_SOCKET)
EOF
expect_epbs tcp-handshake <<'EOF'
1|1700000000.000001000|veth0|ifindex 2, netns 4026532287|0x00000001|8951626638538309633|58|10.0.0.1|10.0.0.2||0x0002|netif_receive_skb > ip_rcv > ip_local_deliver > tcp_v4_rcv > consume_skb
3|1700000000.000006100|veth0|ifindex 2, netns 4026532287|0x00000002|8951626638538309634|58|10.0.0.2|10.0.0.1||0x0012|ip_build_and_send_pkt > ip_output > ip_finish_output2 > net_dev_queue > net_dev_xmit > consume_skb
4|1700000000.000031000|veth0|ifindex 2, netns 4026532287|0x00000001|8951626638538309635|54|10.0.0.1|10.0.0.2||0x0010|netif_receive_skb > ip_rcv > ip_local_deliver > tcp_v4_rcv > consume_skb
EOF
expect_epbs function-graph <<'EOF'
1|1700000000.000001000|eth0|ifindex 2, netns 4026531840|0x00000001|3354341695507398657|56|10.0.0.1|10.0.0.2|9999||ip_rcv > ip_rcv_core > ip_rcv_finish > ip_local_deliver > __udp4_lib_rcv
EOF
expect_epbs big-trace <<'EOF'
1|1700000000.000001000|br0|ifindex 5, netns 4026532287|0x00000001|12823651393751482369|46|10.0.0.1|10.0.0.255|9998||br_handle_frame > br_forward >... (1024 characters)
EOF
expect_epbs kv <<'EOF'
1|1700000000.000001000|veth0|ifindex 2, netns 4026532287|0x00000001|5319448250296565761|53|10.0.0.1|10.0.0.2|8125||netif_receive_skb > nf_hook_slow > kfree_skb (NETFILTER_DROP)
EOF
# the datagram as sent, and its header snapshot after the translation
# (same packet id, stamped at its event, on the router's veth); the tap's
# clone between them is an exported PDU (block_kinds below)
expect_epbs lineage <<'EOF'
1|1700000000.000001000|veth0|ifindex 2, netns 4026532287|0x00000002|1291017966032257025|61|10.0.1.2|10.0.1.1|7000||net_dev_queue > net_dev_start_xmit > netif_rx_entry > netif_receive_skb > net_dev_queue > net_dev_start_xmit > netif_rx_entry > netif_receive_skb > kfree_skb (NO_SOCKET)
4|1700000000.000006100|veth1|ifindex 3, netns 4026531840|0x00000002|1291017966032257025|61|10.0.2.1|10.0.2.2|9||ipft header snapshot 1 of packet 0x11ea9e0000000001 at net_dev_queue
EOF

# The blocks in file order: EPB, or the type of the ipft record a Custom
# Block holds (its bytes 0-3 "IPFT", byte 6 the type).
block_kinds() {
	tshark_plain --disable-protocol ipft -r "$T/$1.pcapng" -T fields -E separator='|' \
		-e frame.protocols -e data.data |
		awk -F'|' '$1 ~ /^eth/ { printf "EPB "; next }
			   $1 ~ /^exported_pdu/ { printf "PDU "; next }
			   substr($2, 1, 8) != "49504654" { printf "? "; next }
			   { t = substr($2, 13, 2)
			     printf "%s ", t == "01" ? "TRACE" : t == "02" ? "RUN_INFO" : t == "03" ? "STATS" : "?" }'
}
check "udp-drop: EPB, RUN_INFO, STATS" [ "$(block_kinds udp-drop)" = "EPB RUN_INFO STATS " ]
check "trace-blocks: the TRACE block before its EPB" \
	[ "$(block_kinds trace-blocks)" = "TRACE EPB RUN_INFO STATS " ]
check "tcp-handshake: RUN_INFO after the first EPB" \
	[ "$(block_kinds tcp-handshake)" = "EPB RUN_INFO EPB EPB STATS " ]
check "lineage: the packet, the clone (an exported PDU), the snapshot (an EPB), in time order" \
	[ "$(block_kinds lineage)" = "EPB RUN_INFO PDU EPB STATS " ]

# A record's keys, in order, are found in its bytes as tshark shows them.
hex_of() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
record_has_keys() {
	data=$(tshark_plain --disable-protocol ipft -r "$T/$1.pcapng" -Y "frame.number == $2" \
		-T fields -e data.data)
	shift 2
	for key in "$@"; do
		case $data in
		*"$(hex_of "$key")"*) data=${data#*"$(hex_of "$key")"} ;;
		*) echo "no key $key"; return 1 ;;
		esac
	done
}
check "udp-drop: RUN_INFO holds cmdline, kernel, backend and the attach points" \
	record_has_keys udp-drop 2 cmdline "ipft -b kprobe -w trace.pcapng" kernel 6.1.0-13-amd64 \
		backend kprobe attach_points attach ip_rcv attach ip_local_deliver attach kfree_skb
check "udp-drop: STATS holds every counter the tracer keeps" \
	record_has_keys udp-drop 3 events packets packets_written partial_traces \
		lost_events_ringbuf_full lost_packets_map_full reused_skb_addresses packets_ended_map_full \
		lost_events_map_race events_over_packet_cap lost_events_nested clock_changes clock_changes_sum_ns

# The section header and interface statistics, as capinfos reads them.
# capinfos_says SAMPLE LINE...: capinfos prints each LINE (a whole line,
# basic regular expression).
capinfos_says() {
	cap=$T/$1.cap
	"$CAPINFOS" "$T/$1.pcapng" >"$cap" 2>/dev/null || return 1
	shift
	for line in "$@"; do
		grep -qx -- "$line" "$cap" || { echo "capinfos printed no line '$line'"; return 1; }
	done
}
for f in $SAMPLES; do
	check "capinfos: $f.pcapng names ipft, the machine, the run and the snaplen" \
		capinfos_says "$f" 'Capture application: ipft 0.1.0 (ipft-gen-samples)' \
		'Capture hardware:    x86_64' \
		'Capture oper-sys:    Linux 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1' \
		'Capture comment:     ipft trace: ipft -b kprobe -w trace.pcapng; backend kprobe, 3 attach points' \
		' *Capture length = 256' ' *Number of stat entries = 1'
done
check "capinfos: tcp-handshake.pcapng holds 3 packets on one interface" \
	capinfos_says tcp-handshake 'Number of packets:   3' 'Number of interfaces in file: 1' \
	' *Name = veth0' ' *Description = ifindex 2, netns 4026532287'
finish
