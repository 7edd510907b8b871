# Guest test, sourced by smoke.sh (its veth pair v0/v1): new skbs linked
# where the function that makes them returns (issue 13, -t function_graph:
# fexit, bpf/derive.bpf.h), which the host's kernel cannot attach.
#
# - TCP sends a clone of its queue's skb (__tcp_transmit_skb > skb_clone):
#   each segment on the wire is a packet of its own, lineage clone, its
#   parent the queued skb, whose trace holds skb_clone.  The clone has the
#   headers (the queued skb never gets them): the host finds the line the
#   client sent as a plain TCP packet in the file (host-check-smoke.sh).
# - A UDP send of 3000 bytes with UDP_SEGMENT 1000 is one GSO
#   super-datagram, cut by skb_segment (on the veth, or where the socket
#   takes it): three packets, lineage segment 0, 1 and 2 of it.
if grep -q "^backend fentry: works" /tmp/list.txt; then
	j=/tmp/clone.json f=$OUTDIR/lineage-tcp.pcapng
	start_ipft $f -v -t function_graph -w $f -o json \
		-r '^(skb_clone|__tcp_transmit_skb|ip_finish_output2|kfree_skbmem)$' >$j
	in_peer netpeer tcp-server 8082 >/tmp/server2.out &
	server=$!
	i=0
	while ! grep -q listening /tmp/server2.out && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	netpeer tcp-client 10.199.0.2 8082
	sleep 0.5
	stop_ipft
	wait $server
	cp $j $OUTDIR/lineage-tcp.json 2>/dev/null
	clones=$(grep '"lineage":"clone"' $j | grep -o '"packet_id":"0x[0-9a-f]*"' | sort -u | wc -l)
	linked=0
	for parent in $(grep '"lineage":"clone"' $j | grep -o '"parent_id":"0x[0-9a-f]*"' |
			sed 's/.*"\(0x[0-9a-f]*\)"/\1/' | sort -u); do
		grep "\"packet_id\":\"$parent\"" $j | grep -q '"function":"skb_clone","is_return":true' &&
			linked=$((linked + 1))
	done
	if [ "$IPFT_RC" -eq 0 ] && [ "$clones" -ge 2 ] && [ "$linked" -ge 2 ]; then
		result lineage-clone PASS "clones=$clones parents_through_skb_clone=$linked"
	else
		result lineage-clone FAIL "rc=$IPFT_RC clones=$clones parents_through_skb_clone=$linked $(tail -1 $f.err)"
		head -20 $j
	fi

	j=/tmp/gso.json f=$OUTDIR/lineage-gso.pcapng
	start_ipft $f -v -t function_graph -w $f -o json \
		-r '^(skb_segment|ip_finish_output2|udp_queue_rcv_skb|kfree_skbmem)$' udp port 9 >$j
	in_peer netpeer udp-sink 9 2 >/dev/null &
	sink=$!
	sleep 0.3
	netpeer udp 10.199.0.2 9 1 - - 3000 gso
	wait $sink
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/lineage-gso.json 2>/dev/null
	# packet,parent,segment of each segment's lines
	segs=$(grep '"lineage":"segment"' $j |
		sed 's/.*"packet_id":"\([^"]*\)".*"parent_id":"\([^"]*\)".*"segment":\([0-9]*\).*/\1,\2,\3/' |
		sort -u)
	parents=$(echo "$segs" | cut -d, -f2 | sort -u | wc -l)
	idx=$(echo "$segs" | sed 's/.*,//' | sort -n | tr '\n' ' ')
	if [ "$IPFT_RC" -eq 0 ] && [ "$(echo "$segs" | grep -c .)" -eq 3 ] && [ "$parents" -eq 1 ] &&
		[ "$idx" = "0 1 2 " ]; then
		result lineage-segment PASS "segments=3 of one parent, numbered $idx"
	else
		result lineage-segment FAIL "rc=$IPFT_RC segments=[$segs] parents=$parents $(tail -1 $f.err)"
		head -20 $j
	fi
fi
