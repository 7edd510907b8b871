#!/bin/sh
# Big-endian files and files of several sections read the same as the
# little-endian samples, by our reader and by tshark.  tests/pcapng/pcapng-swap
# rewrites each sample in the other byte order (ipft records inside keep
# their own 'L' order, as Wireshark hands them over unswapped).
set -eu
. "$top_srcdir/tests/lib.sh"
S=$top_srcdir/samples
SWAP=$top_builddir/tests/pcapng/pcapng-swap
fields="-T fields -e frame.time_epoch -e frame.len -e frame.comment -e frame.packet_id -e eth.src -e ip.src -e ip.dst"

for f in udp-drop trace-blocks tcp-handshake function-graph big-trace kv lineage; do
	"$SWAP" "$S/$f.pcapng" "$T/$f-be.pcapng" || die "pcapng-swap $f failed"
	check "$f: the swapped file is big-endian" \
		sh -c "od -An -tx1 -j8 -N4 '$T/$f-be.pcapng' | grep -q '1a 2b 3c 4d'"
	"$DUMP" "$S/$f.pcapng" >"$T/le.txt"
	check "$f: our reader reads the big-endian file the same" \
		sh -c "'$DUMP' '$T/$f-be.pcapng' >'$T/be.txt' && cmp '$T/le.txt' '$T/be.txt'"
	# shellcheck disable=SC2086
	check "$f: tshark reads the big-endian file the same" sh -c \
		"'$TSHARK' -r '$S/$f.pcapng' $fields >'$T/le.ts' 2>/dev/null &&
		 '$TSHARK' -r '$T/$f-be.pcapng' $fields >'$T/be.ts' 2>/dev/null &&
		 [ -s '$T/le.ts' ] && cmp '$T/le.ts' '$T/be.ts'"
done

# Three sections, little, big, little endian: interfaces restart per section.
cat "$S/udp-drop.pcapng" "$T/tcp-handshake-be.pcapng" "$S/kv.pcapng" >"$T/sections.pcapng"
# (pcapng-dump numbers EPBs across the file: drop the numbers.)
for f in udp-drop tcp-handshake kv; do "$DUMP" "$S/$f.pcapng"; done |
	sed 's/^EPB [0-9]* /EPB /' >"$T/expect"
check "three sections of both byte orders read in order" \
	sh -c "'$DUMP' '$T/sections.pcapng' | sed 's/^EPB [0-9]* /EPB /' >'$T/got' &&
	       cmp '$T/expect' '$T/got'"
check "capinfos reads the three sections" "$CAPINFOS" "$T/sections.pcapng" >/dev/null
check "tshark sees the 5 packets of the three sections" \
	sh -c "[ \$('$TSHARK' -r '$T/sections.pcapng' -Y eth 2>/dev/null | wc -l) = 5 ]"
finish
