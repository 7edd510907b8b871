#!/bin/sh
# Wall-clock time: a tcpdump capture of the same datagrams on the same
# veth, merged with ipft's file by mergecap, puts each datagram's two
# copies in order, ipft's first (it sees the datagram leave A before
# tcpdump sees it arrive in B), and tcpdump's stamp inside ipft's path of
# that datagram: after the veth hands it to B (netif_rx_entry, where the
# kernel stamps it) and before its last event.  The bracket is what holds
# however long the path takes: a fixed bound from ipft's first event
# failed in CI when the sender waited 133 us between the queue and the
# veth (net_dev_queue runs preemptible, and this VM's vCPUs are stolen).
# And when the wall clock is
# stepped during a run, ipft says so, stamps later packets with the new
# time and lists each step in the file's statistics.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
command -v tcpdump >/dev/null || die "tcpdump is missing (tests/setup.sh installs it)"
command -v mergecap >/dev/null || die "mergecap is missing (wireshark-common)"
make_pair "ik$$"

f=$T/ipft.pcapng
start_ipft "$f" -w "$f" --netns "/run/netns/$NS_A"
ip netns exec "$NS_B" tcpdump -n -i "$IF_B" --immediate-mode --time-stamp-precision=nano -U -w "$T/tcpdump.pcap" \
	udp port 9 2>"$T/tcpdump.err" &
tcpd=$!
add_cleanup "kill $tcpd"
wait_lines 1 5 "$T/tcpdump.err" 'listening on' || die "tcpdump did not start"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 5 || die "netpeer failed"
sleep 0.5
kill -INT $tcpd; wait $tcpd || true
stop_ipft INT
mergecap -w "$T/merged.pcapng" "$T/tcpdump.pcap" "$f"
# Each datagram by its IP id: time, and whether it is ipft's copy (one
# with a packet id).
tshark_plain -r "$T/merged.pcapng" -Y "udp.dstport == 9 && !icmp" -T fields \
	-e ip.id -e frame.time_epoch -e frame.packet_id >"$T/merged.txt"
cat "$T/merged.txt"
check "five datagrams, two copies each" [ "$(wc -l <"$T/merged.txt")" -eq 10 ]
check "each pair: ipft's copy first" awk -F'\t' '
	{ if ($1 in t) { if ($2 < t[$1] || first[$1] == "") bad++; pairs++ }
	  else { t[$1] = $2; first[$1] = $3 } }
	END { exit !(pairs == 5 && bad == 0) }' "$T/merged.txt"
# Per ipft packet (hex id): when it entered B and its last event.
"$DUMP" "$f" | awk '
	/^EPB / { id = ""; for (i = 1; i <= NF; i++) if ($i ~ /^packetid=0x/) id = substr($i, 12) }
	/^ +EVENT / && id != "" { ts = substr($3, 4); last[id] = ts
		if (!(id in entry) && / name=netif_rx_entry( |$)/) entry[id] = ts }
	END { for (id in last) print id, entry[id], last[id] }' >"$T/paths.txt"
# Datagram: IP id, tcpdump's stamp, ipft's packet id in hex.
awk -F'\t' '$3 == "" { print $1, $2 }' "$T/merged.txt" | sort >"$T/tcpdump.txt"
awk -F'\t' '$3 != "" { print $1, $3 }' "$T/merged.txt" | sort | while read -r ipid pid; do
	printf '%s %016x\n' "$ipid" "$pid"
done | join "$T/tcpdump.txt" - | sort -k3 >"$T/pairs.txt"
sort "$T/paths.txt" | join -1 3 -2 1 "$T/pairs.txt" - >"$T/bracket.txt"
cat "$T/bracket.txt"
# Times as ns from the first second seen (a double holds those exactly).
# 20 us covers the error of ipft's offset (read between two monotonic
# reads), not the path's length.
check "tcpdump's stamp of each datagram is within its path in ipft's file, +-20 us" awk '
	function ns(t, p) { split(t, p, "."); if (base == "") base = p[1]; return (p[1] - base) * 1e9 + p[2] }
	NF == 5 { s = ns($3); b = ns($4); e = ns($5); n++
		printf "%s: %+.0f ns from netif_rx_entry, %+.0f ns to the last event\n", $2, s - b, e - s
		if (s < b - 20000 || s > e + 20000) bad++ }
	END { exit !(n == 5 && bad == 0) }' "$T/bracket.txt"
check "the merged file is in time order" \
	sh -c "reordercap -n '$T/merged.pcapng' '$T/re.pcapng' | grep -q ' 2 out of order'"

# A step of the wall clock: +2 s, then back.
f=$T/step.pcapng
start_ipft "$f" -w "$f" --netns "/run/netns/$NS_A"
add_cleanup "date -s @\$(( \$(date +%s) - 2 )) >/dev/null"  # if the test dies stepped
date -s "@$(date +%s.%N | awk '{ printf "%.9f", $1 + 2 }')" >/dev/null
wait_lines 1 5 "$T/ipft.stderr" 'the wall clock moved by +' || true
sent=$(date +%s.%N)
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || true
date -s "@$(date +%s.%N | awk '{ printf "%.9f", $1 - 2 }')" >/dev/null
wait_lines 1 5 "$T/ipft.stderr" 'the wall clock moved by -' || true
stop_ipft INT
grep 'wall clock' "$T/ipft.stderr" || true
# Steps of 2 s, give or take what date(1) itself takes: on stdin, in ns.
steps_near_2s() {
	awk 'NF { v = $1 < 0 ? -$1 : $1; ok += v > 1.9e9 && v < 2.1e9; sign = sign ($1 < 0 ? "-" : "+") }
	     END { exit !(NR == 2 && ok == 2 && sign == "+-") }'
}
sed -n 's/.*wall clock moved by \([-+0-9.]*\) s.*/\1/p' "$T/ipft.stderr" |
	awk '{ printf "%.0f\n", $1 * 1e9 }' >"$T/said.txt"
check "both steps are said on stderr" steps_near_2s <"$T/said.txt"
"$DUMP" "$f" >"$T/step.txt"
grep -o 'clock_step_ns=[-0-9]*' "$T/step.txt" | cut -d= -f2 >"$T/steps.txt" || true
check "the statistics list both steps" steps_near_2s <"$T/steps.txt"
stamp=$(tshark_plain -r "$f" -Y "udp.dstport == 9 && !icmp" -T fields -e frame.time_epoch | head -1)
check "a datagram sent while stepped carries the stepped time ($stamp, sent $sent)" \
	awk -v a="$stamp" -v b="$sent" 'BEGIN { d = a - b; exit !(d > -0.1 && d < 0.1) }'
finish
