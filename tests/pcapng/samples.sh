#!/bin/sh
# The checked-in samples/ are what samples/ipft-gen-samples writes today
# (byte for byte), and Wireshark's own tools read them without complaint.
set -eu
. "$top_srcdir/tests/lib.sh"

"$top_builddir/samples/ipft-gen-samples" "$T" || die "ipft-gen-samples failed"
for f in udp-drop trace-blocks tcp-handshake function-graph big-trace kv; do
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
# Bad input: one line naming the problem and where it is, exit status 1.
head -c 1000 "$T/udp-drop.pcapng" >"$T/cut.pcapng"
check "a truncated file is refused at the block's offset" sh -c \
	"! '$DUMP' '$T/cut.pcapng' >/dev/null 2>'$T/err' &&
	 [ \$(wc -l <'$T/err') = 1 ] && grep -q 'offset 908: block of 248 bytes is truncated' '$T/err'"
cp "$T/udp-drop.pcapng" "$T/v2.pcapng"
printf '\002' | dd of="$T/v2.pcapng" bs=1 seek=524 conv=notrunc 2>/dev/null
check "a newer trace format version is named" sh -c \
	"! '$DUMP' '$T/v2.pcapng' >/dev/null 2>'$T/err' && grep -q 'unsupported ipft format version 2' '$T/err'"

# docs/format.md's worked example is the real udp-drop.pcapng: each hex
# dump line of the trace option (offset: 16 bytes) matches the file there.
grep -E '^00000(2[0-9a-f]|3[0-7])[0-9a-f]: |^00000380: ' "$top_srcdir/docs/format.md" >"$T/doc-hex"
doc_hex_matches() {
	while IFS= read -r line; do
		off=$((0x${line%%:*}))
		hex=$(printf '%s' "${line#*: }" | cut -c1-39 | tr -d ' ')
		got=$(od -An -tx1 -v -j "$off" -N $((${#hex} / 2)) "$T/udp-drop.pcapng" | tr -d ' \n')
		[ "$hex" = "$got" ] || { echo "offset $off: the doc says $hex, the file has $got"; return 1; }
	done <"$T/doc-hex"
}
check "docs/format.md shows the trace option's bytes as the generator writes them" \
	sh -c "[ \$(wc -l <'$T/doc-hex') -ge 12 ]"
check "... and every one of those lines is right" doc_hex_matches
finish
