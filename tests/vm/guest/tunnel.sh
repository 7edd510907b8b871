# Guest test, sourced at the end of smoke.sh (its veth pair v0/v1): one
# packet through a GRE tunnel (issue 13; the host's kernel has no ip_gre,
# tests/lineage/tunnel.sh does VXLAN there).  g0 in the root namespace and
# g1 in the child one tunnel over the veth; two datagrams to a closed port
# behind g1, traced with the tracepoints: each is one packet_id from g0 to
# its drop, with a header snapshot where the tunnel encapsulates it (the
# outer GRE headers at net_dev_queue on v0) and one where it decapsulates
# it (the inner UDP headers again, received on g1).  Before 5.17 a drop
# has no reason: UNKNOWN.
if ip tunnel add g0 mode gre remote 10.199.0.2 local 10.199.0.1 &&
	in_peer ip tunnel add g1 mode gre remote 10.199.0.1 local 10.199.0.2; then
	ip addr add 10.201.0.1/24 dev g0
	ip link set g0 up
	in_peer ip addr add 10.201.0.2/24 dev g1
	in_peer ip link set g1 up
	j=/tmp/gre.json
	# -v: start_ipft waits for its "attached" line (300 s without one).
	start_ipft $j -v -b tracepoint -w $OUTDIR/gre.pcapng -o json udp port 9 >$j
	netpeer udp 10.201.0.2 9 2
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/ 2>/dev/null
	outer='"snapshot":1,"snapshot_headers":"IP proto 47 10.199.0.1 > 10.199.0.2","snapshot_dev":"v0"'
	reason=NO_SOCKET
	kernel_older 5 17 && reason=UNKNOWN
	inner='"snapshot":2,"snapshot_headers":"UDP 10.201.0.1:[0-9]* > 10.201.0.2:9","snapshot_dev":"g1"'
	ids=$(grep -o '"packet_id":"0x[0-9a-f]*"' $j | sort -u)
	one=0
	for id in $ids; do
		grep "$id" $j >/tmp/gre-one.json
		if grep '"function":"net_dev_queue"' /tmp/gre-one.json | grep -q "$outer" &&
			grep -q "$inner" /tmp/gre-one.json &&
			tail -1 /tmp/gre-one.json | grep -q "\"function\":\"kfree_skb\".*\"drop_reason\":\"$reason\""; then
			one=$((one + 1))
		fi
	done
	if [ "$IPFT_RC" -eq 0 ] && [ "$one" -eq 2 ] && [ "$(echo $ids | wc -w)" -eq 2 ]; then
		result lineage-gre PASS "packets=2 each: outer snapshot on v0, inner on g1, $reason"
	else
		result lineage-gre FAIL "rc=$IPFT_RC packets=$(echo $ids | wc -w) whole=$one $(tail -1 $j.err)"
		grep -o '"packet_id":"[^"]*".*"function":"[^"]*"\|"snapshot":[^}]*' $j | head -20
	fi
else
	result lineage-gre FAIL "busybox ip tunnel add failed (ip_gre loaded?)"
fi
