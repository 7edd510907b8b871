#!/bin/sh
# A full disk in the middle of a block: the writer cuts the file back to the
# last whole block, so it stays a valid pcapng that capinfos and tshark
# read, and the program says why it failed.  Uses a 64 KiB tmpfs (root).
set -eu
. "$top_srcdir/tests/lib.sh"
need_root

mkdir "$T/small"
mount -t tmpfs -o size=64k ipft-test "$T/small" || die "cannot mount a tmpfs"
add_cleanup "umount $T/small"

# The samples take ~160 KiB: big-trace.pcapng's 150 KiB EPB cannot fit.
if "$top_builddir/samples/ipft-gen-samples" "$T/small" 2>"$T/err"; then
	fail "writing 160 KiB into 64 KiB succeeded"
else
	check "the failure is named: $(cat "$T/err")" grep -q 'No space left on device' "$T/err"
fi
for f in "$T"/small/*.pcapng; do
	n=$(basename "$f")
	check "$n: capinfos reads it" sh -c "'$CAPINFOS' '$f' >/dev/null 2>'$T/err' && ! [ -s '$T/err' ]"
	check "$n: tshark reads it" sh -c "'$TSHARK' -r '$f' >/dev/null 2>'$T/err' && ! grep -v 'Running as user' '$T/err' | grep -q ."
	check "$n: the reader walks it to a clean end" sh -c "'$DUMP' '$f' >/dev/null"
done
# What fitted is complete; big-trace.pcapng kept its header blocks only.
check "udp-drop.pcapng fitted whole" cmp "$T/small/udp-drop.pcapng" "$top_srcdir/samples/udp-drop.pcapng"
check "big-trace.pcapng holds its SHB and IDB, no partial EPB" sh -c \
	"'$DUMP' '$T/small/big-trace.pcapng' | cut -c1-3 | tr '\n' ' ' | grep -qx 'SHB IDB '"
finish
