#!/bin/sh
# Broken traces never crash or hang tshark: each shows as malformed with an
# expert error and dissection goes on to the next packet; the plugin and the
# reader agree on which ones are broken.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"

[ -x "$DUMP" ] || die "$DUMP not built"
n=$("$top_builddir/tests/plugin/gen-malformed" "$T/bad.pcapng") || die "gen-malformed failed"
chmod a+r "$T/bad.pcapng"
timeout 120 $AS_USER env HOME="$T/home" "$TSHARK" -r "$T/bad.pcapng" -V >"$T/out" 2>"$T/err"
rc=$?
check "tshark exits 0 over $n packets with broken traces (rc $rc)" [ $rc -eq 0 ]
check "every packet was dissected" sh -c "[ \$(grep -c '^Frame [0-9]*:' '$T/out') -ge $n ]"
check "broken traces show as malformed with an expert error" \
	sh -c "[ \$(grep -c 'Malformed ipft' '$T/out') -ge $((n / 2)) ]"
check "the intact trace in the same file is still decoded" grep -q 'Dropped: NO_SOCKET at udp_rcv+0x1' "$T/out"
check "no dissector bug reported" sh -c "! grep -qi 'dissector bug' '$T/out'"

# One judge of validity: the plugin calls malformed exactly the records the
# reader (pcapng library and codec, in pcapng-dump) rejects.  Frames count
# EPBs and Custom Blocks as tshark does.  A record without the magic is
# someone else's (the PEN is shared): the plugin leaves it alone.
stdbuf -o0 -e0 "$DUMP" "$T/bad.pcapng" 2>&1 | awk '
	/^(EPB|CB) / { f++ }
	/^pcapng-dump: .*not an ipft record/ { print "other", f; next }
	/^pcapng-dump:/ { print "bad", f }' | sort -u >"$T/reader"
sed -n 's/^bad //p' "$T/reader" | sort >"$T/reader-bad"
sed -n 's/^other //p' "$T/reader" | sort >"$T/others"
tsp -r "$T/bad.pcapng" -Y ipft.malformed -T fields -e frame.number | sort >"$T/plugin-bad"
check "the plugin calls malformed exactly the $(grep -c . "$T/reader-bad") frames the reader rejects" \
	sh -c "[ -s '$T/reader-bad' ] && diff '$T/reader-bad' '$T/plugin-bad'"
tsp -r "$T/bad.pcapng" -Y ipft -T fields -e frame.number | sort >"$T/plugin-ipft"
check "records without the magic get no ipft tree" \
	sh -c "[ -s '$T/others' ] && ! comm -12 '$T/others' '$T/plugin-ipft' | grep -q ."
finish
