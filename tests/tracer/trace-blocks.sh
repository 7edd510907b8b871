#!/bin/sh
# --trace-blocks: each trace is a Custom Block right before its packet's
# EPB, which then carries no 2989 option; tshark still reads the file.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ib$$"
f=$T/blocks.pcapng

start_ipft "$f" -w "$f" --trace-blocks --netns "/run/netns/$NS_A"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2 || die "netpeer failed"
wait_drops 2 "$f"
stop_ipft INT
"$DUMP" "$f" >"$T/dump.txt"
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check "no EPB carries the trace option" sh -c "! grep '^EPB.*custom2989' '$T/dump.txt'"
check "every EPB follows its TRACE custom block" \
	sh -c "grep -E '^(EPB|CB|  TRACE)' '$T/dump.txt' | awk '/^EPB/ { if (prev !~ /TRACE/) bad=1 } { prev=\$0 } END { exit bad }'"
check "the TRACE block has the EPB's packet id" \
	sh -c "grep -A1 '^CB' '$T/dump.txt' | grep -q 'TRACE packet_id=0x'"
check "tshark reads the file" sh -c "tshark_plain() { :; }; '$TSHARK' -r '$f' >/dev/null 2>&1"
finish
