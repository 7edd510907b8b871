#!/bin/sh
# A TCP connection between two namespaces: every segment of the handshake
# is traced as its own packet with its own packet_id, decodable by tshark.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "it$$"
f=$T/tcp.pcapng
port=$(( $$ % 20000 + 20000 ))

start_ipft "$f" -w "$f"
# The server gives up after 10 s: started once ipft traces.
ip netns exec "$NS_B" "$NETPEER" tcp-server $port >"$T/server.out" &
server=$!
add_cleanup "kill $server"
wait_lines 1 5 "$T/server.out" listening || die "server did not start"
ip netns exec "$NS_A" "$NETPEER" tcp-client "$IP_B" $port || die "client failed"
wait $server || die "server failed"
# Wait until the SYN-ACK's trace is written (its skb is freed in A).
i=0
while ! tshark_plain -r "$f" -Y "tcp.port == $port && tcp.flags.syn == 1 && tcp.flags.ack == 1" \
	-T fields -e frame.number 2>/dev/null | grep -q . && [ $i -lt 50 ]; do
	i=$((i + 1)); sleep 0.1
done
stop_ipft TERM
check "ipft exits 0 on SIGTERM (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

tshark_plain -r "$f" -Y "tcp.port == $port && ip.addr == $IP_B" -T fields \
	-e frame.packet_id -e tcp.flags -e frame.comment >"$T/tcp.txt"
cat "$T/tcp.txt"
check "SYN traced" grep -q '	0x0002	' "$T/tcp.txt"
check "SYN-ACK traced" grep -q '	0x0012	' "$T/tcp.txt"
check "handshake's ACK and data traced" \
	[ "$(grep -c '	0x0010	' "$T/tcp.txt")" -ge 1 ] && grep -q '	0x0018	' "$T/tcp.txt"
check "no trace runs through the stack twice" \
	[ "$(grep -c 'netif_receive_skb.*netif_receive_skb' "$T/tcp.txt")" -eq 0 ]
n=$(wc -l <"$T/tcp.txt")
check "at least 5 segments (handshake, data, close), got $n" [ "$n" -ge 5 ]
check "every segment has its own packet_id" \
	[ "$(cut -f1 "$T/tcp.txt" | grep -v '^$' | sort -u | wc -l)" -eq "$n" ]
check "each segment carries its kernel path" \
	[ "$(cut -f3 "$T/tcp.txt" | grep -c ' > ')" -eq "$n" ]
finish
