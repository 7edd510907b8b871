#!/bin/sh
# Broken traces never crash or hang tshark: each shows as malformed with an
# expert error and dissection goes on to the next packet.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"

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
finish
