#!/bin/sh
# A UDP datagram to a closed port, traced between two namespaces: the file
# holds it with its path ending in kfree_skb (NO_SOCKET), an epb_packetid,
# the run metadata and statistics, and wall-clock timestamps.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "iu$$"
f=$T/udp.pcapng

start_ipft "$f" -w "$f" --netns "/run/netns/$NS_A"
sent_at=$(date +%s)
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
# The three datagrams are freed in B at once: poll the file for them.
wait_drops 3 "$f"
stop_ipft INT
check "ipft exits 0 on SIGINT (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check_clone_records "no filter"
check "capinfos reads the file" "$CAPINFOS" "$f" >/dev/null

tshark_plain -r "$f" -Y "!icmp && udp.dstport == 9 && ip.dst == $IP_B" -T fields \
	-e frame.packet_id -e frame.comment -e frame.time_epoch -e frame.interface_name \
	>"$T/udp.txt"
cat "$T/udp.txt"
check "three datagrams to port 9 traced" [ "$(wc -l <"$T/udp.txt")" -eq 3 ]
check "each path ends in kfree_skb (NO_SOCKET)" \
	[ "$(grep -c 'kfree_skb (NO_SOCKET)	' "$T/udp.txt")" -eq 3 ]
check "each path starts where A sends it" \
	[ "$(grep -c 'net_dev_queue > ' "$T/udp.txt")" -eq 3 ]
check "three distinct packet ids" \
	[ "$(cut -f1 "$T/udp.txt" | grep -v '^$' | sort -u | wc -l)" -eq 3 ]
check "captured on A's veth ($IF_A)" [ "$(cut -f4 "$T/udp.txt" | sort -u)" = "$IF_A" ]
# Wall clock: EPB times within 2 seconds of `date` when sending.
ok=1
for t in $(cut -f3 "$T/udp.txt" | cut -d. -f1); do
	d=$((t - sent_at)); [ $d -ge -2 ] && [ $d -le 2 ] || ok=0
done
check "EPB timestamps are wall-clock (sent at $sent_at)" [ $ok -eq 1 ]

"$DUMP" "$f" >"$T/dump.txt"
check "drop reason and location decoded" \
	grep -q 'name=kfree_skb free reason_code=[0-9]* reason=NO_SOCKET location=[a-z_0-9.]*+0x' "$T/dump.txt"
check "SHB names ipft, the OS and the command line" \
	grep -q '^SHB .*userappl="ipft [0-9].*os="Linux .*comment="ipft trace: .* -w ' "$T/dump.txt"
check "RUN_INFO comes after the first EPB" \
	sh -c "grep -E '^(EPB|  RUN_INFO)' '$T/dump.txt' | head -1 | grep -q '^EPB'"
check "RUN_INFO names the backend and attach points" \
	grep -Eq 'RUN_INFO .*backend="tracepoint" attach_points=[1-9].*attach="(skb:)?kfree_skb"' "$T/dump.txt"
check "IDB named after the device with ifindex, netns and tsresol 9" \
	grep -q "^IDB linktype=1 .*name=\"$IF_A\" description=\"ifindex [0-9]*, netns [0-9]*\" tsresol=9" "$T/dump.txt"
check "an ISB per interface and a final STATS record" \
	sh -c "grep -q '^ISB if=0 ' '$T/dump.txt' && tail -1 '$T/dump.txt' | grep -q 'STATS events=[1-9].* lost_events_ringbuf_full=0'"
finish
