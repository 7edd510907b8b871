#!/bin/sh
# Without -w: ipftrace2's aggregate listing (default) and JSON lines.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "io$$"
ns=/run/netns/$NS_A
# No ARP: with -c 2 the two packets written must be the datagrams.
pin_neighbours

for fmt in json aggregate; do
	out=$T/$fmt.txt
	"$IPFT" -v -o $fmt -c 2 --netns "$ns" --duration 20 >"$out" 2>"$T/$fmt.err" &
	IPFT_PID=$!
	add_cleanup "kill $IPFT_PID"
	# Attached (a loaded machine may take seconds), then send until it stops.
	wait_lines 1 30 "$T/$fmt.err" 'tracing; Ctrl-C' || die "ipft -o $fmt did not start"
	i=0
	while kill -0 $IPFT_PID 2>/dev/null && [ $i -lt 20 ]; do
		ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || true
		i=$((i + 1))
	done
	wait_ipft
	check "-o $fmt -c 2 exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
done

head -3 "$T/json.txt"
check "json: every line is an object with ipftrace2's keys" \
	sh -c "! grep -v '^{\"packet_id\":\"0x[0-9a-f]\{16\}\",\"timestamp\":[0-9]*,\"processor_id\":[0-9]*,\"function\":\"[a-z_0-9]*\",\"is_return\":false,\"kind\":\"tracepoint\".*}$' '$T/json.txt'"
check "json: two packets" [ "$(cut -d, -f1 "$T/json.txt" | sort -u | wc -l)" -eq 2 ]
check "json: the drop carries its reason and location" \
	grep -q '"function":"kfree_skb".*"drop_reason":"NO_SOCKET","drop_location":"[a-z_0-9.]*+0x[0-9a-f]*"' "$T/json.txt"

head -12 "$T/aggregate.txt"
check "aggregate: packets separated by ===" [ "$(grep -c '^===$' "$T/aggregate.txt")" -eq 2 ]
check "aggregate: a header line per packet" \
	[ "$(grep -c '^ *Timestamp  *CPU Function$' "$T/aggregate.txt")" -eq 2 ]
check "aggregate: the packet summary names the datagram" \
	grep -q "^packet_id: 0x[0-9a-f]* *UDP $IP_A:[0-9]* > $IP_B:9" "$T/aggregate.txt"
check "aggregate: rows of timestamp, CPU, function and drop reason" \
	grep -q '^ *[0-9]*\.[0-9]\{9\} [0-9]\{4\} kfree_skb  reason=NO_SOCKET location=' "$T/aggregate.txt"
finish
