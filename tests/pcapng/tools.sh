#!/bin/sh
# The library's files pass Wireshark's tools, and traces survive them:
# capinfos and tshark read them without error; editcap -r, editcap -A,
# mergecap and tshark -Y ... -w keep every remaining packet's trace
# (EPB option 2989 with the packet's epb_packetid).
set -u
. "$top_srcdir/tests/lib.sh"
S=$top_srcdir/samples

# traces_intact FILE N: N EPBs, each carrying a decodable trace of its own
# epb_packetid (and no trace of another packet).
traces_intact() {
	"$DUMP" "$1" >"$T/dump" || return 1
	awk -v want="$2" '
		/^EPB / { epbs++; id = ""
			  for (i = 1; i <= NF; i++) if ($i ~ /^packetid=/) id = substr($i, 10) }
		/^  TRACE / { for (i = 1; i <= NF; i++) if ($i ~ /^packet_id=/) {
				if (substr($i, 11) == id && id != "") seen[epbs] = 1; else bad++ } }
		END { n = 0; for (k in seen) n++
		      if (epbs != want || n != want || bad) {
			      printf "%d EPBs, %d with their trace, %d stray traces\n", epbs, n, bad
			      exit 1 } }' "$T/dump"
}

for f in udp-drop tcp-handshake function-graph big-trace kv trace-blocks; do
	check "capinfos reads $f" "$CAPINFOS" "$S/$f.pcapng" >/dev/null
	check "tshark reads $f" sh -c "\"$TSHARK\" -r \"$S/$f.pcapng\" >/dev/null 2>\"$T/err\" &&
		! grep -v 'Running as user' \"$T/err\" | grep -q ."
done
check "tshark shows the path as the packet comment" \
	sh -c "\"$TSHARK\" -r \"$S/udp-drop.pcapng\" -T fields -e frame.comment 2>/dev/null | grep -q 'kfree_skb (NO_SOCKET)'"
check "tshark shows epb_packetid" \
	sh -c "\"$TSHARK\" -r \"$S/udp-drop.pcapng\" -T fields -e frame.packet_id 2>/dev/null | grep -q ."

# Records 1, 3 and 4 are the packets (2 is the run-information block).
editcap -r "$S/tcp-handshake.pcapng" "$T/r.pcapng" 1 4 2>/dev/null
check "editcap -r keeps the traces of selected packets" traces_intact "$T/r.pcapng" 2
TZ=UTC editcap -A "2023-11-14 22:13:20" "$S/tcp-handshake.pcapng" "$T/a.pcapng" 2>/dev/null
check "editcap -A keeps the traces" traces_intact "$T/a.pcapng" 3
mergecap -w "$T/m.pcapng" "$S/udp-drop.pcapng" "$S/tcp-handshake.pcapng" 2>/dev/null
check "mergecap keeps every trace" traces_intact "$T/m.pcapng" 4
"$TSHARK" -r "$S/tcp-handshake.pcapng" -Y 'tcp.flags.syn == 1' -w "$T/y.pcapng" 2>/dev/null
check "tshark -Y ... -w keeps the traces" traces_intact "$T/y.pcapng" 2
"$TSHARK" -r "$T/m.pcapng" -Y udp -w "$T/u.pcapng" 2>/dev/null
check "tshark -Y udp -w on the merged file keeps the UDP packet's trace" traces_intact "$T/u.pcapng" 1
check "the big trace spans 3 options and survives tshark -w" sh -c \
	"\"$TSHARK\" -r \"$S/big-trace.pcapng\" -w \"$T/b.pcapng\" 2>/dev/null &&
	 \"$DUMP\" \"$T/b.pcapng\" | grep -c 'TRACE.*part=' | grep -qx 3"
finish
