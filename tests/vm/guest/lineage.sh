# Guest test, sourced by smoke.sh (its veth pair v0/v1): new skbs linked
# where the function that makes them returns (issue 13, bpf/derive.bpf.h),
# which the host's kernel cannot attach: with -t function_graph (fexit),
# and with -t function through each kprobe backend the kernel allows (a
# return probe on the makers, bpf/backends/kprobe_common.bpf.h).  Each
# result's name ends in the backend (lineage-clone-fentry, ...).
#
# - TCP sends a clone of its queue's skb (__tcp_transmit_skb > skb_clone):
#   each segment on the wire is a packet of its own, lineage clone, its
#   parent the queued skb, whose trace holds skb_clone (its return with
#   function_graph).  The clone has the
#   headers (the queued skb never gets them): the host finds the line the
#   client sent as a plain TCP packet in the file (host-check-smoke.sh).
# - A UDP send of 3000 bytes with UDP_SEGMENT 1000 is one GSO
#   super-datagram, cut by skb_segment (on the veth, or where the socket
#   takes it): three packets, lineage segment 0, 1 and 2 of it.
# - GRO on the receiving veth (5.13+: veth runs NAPI when GRO is on),
#   TSO off on the sending one: TCP's segments are merged by
#   skb_gro_receive; each merged one names the packet it went into
#   (lineage merged), which lists it (merged_ids).
# - A 4000-byte UDP datagram cut into three fragments on the 1500-byte
#   veth, traced with functions alone (no tracepoint to find the whole
#   datagram at): ip_defrag's return makes the last fragment's skb the
#   reassembled datagram, a packet of its own (lineage reassembled, its
#   parent that fragment) that lists the three and goes on to udp_rcv.
# - A datagram to port 7 that nftables in the child namespace duplicates
#   as it arrives (dup to 10.199.0.1: nf_dup_ipv4 sends a pskb_copy of
#   it back through v1): the copy is a packet of its own, lineage copy,
#   its parent the datagram, whose trace holds __pskb_copy_fclone.
# - A datagram forwarded into the GRE tunnel of tunnel.sh (g0, over v0):
#   sent from a second child namespace (v3, 10.198.0.2) through the root
#   namespace, ip_forward makes room for the tunnel's headers with
#   pskb_expand_head, a new data buffer.  Traced with the tracepoints and
#   the functions on the way, each datagram is one packet from its send
#   on v3 through pskb_expand_head, g0 and v0 to its drop behind g1.
# linked_through JSON KIND FUNCTION BACKEND: sets derived (the packets of
# lineage KIND) and linked (their parents whose trace holds FUNCTION: its
# return with fentry, else its entry).
linked_through() {
	at="\"function\":\"$3\""
	[ $4 = fentry ] && at="$at,\"is_return\":true"
	derived=$(grep "\"lineage\":\"$2\"" $1 | grep -o '"packet_id":"0x[0-9a-f]*"' | sort -u | wc -l)
	linked=0
	for parent in $(grep "\"lineage\":\"$2\"" $1 | grep -o '"parent_id":"0x[0-9a-f]*"' |
			sed 's/.*"\(0x[0-9a-f]*\)"/\1/' | sort -u); do
		grep "\"packet_id\":\"$parent\"" $1 | grep -q "$at" && linked=$((linked + 1))
	done
}

# lineage_clone BACKEND TRACER-OPTIONS...
lineage_clone() {
	b=$1
	shift
	j=/tmp/clone-$b.json f=$OUTDIR/lineage-tcp-$b.pcapng
	start_ipft $f -v "$@" -w $f -o json \
		-r '^(skb_clone|__tcp_transmit_skb|ip_finish_output2|kfree_skbmem)$' >$j
	# A file of its own per run, gone before the server starts: the
	# shell truncates it in the child, after the loop below may have
	# read the last run's "listening".
	rm -f /tmp/server2-$b.out
	in_peer netpeer tcp-server 8082 >/tmp/server2-$b.out &
	server=$!
	i=0
	while ! grep -qs listening /tmp/server2-$b.out && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	netpeer tcp-client 10.199.0.2 8082
	sleep 0.5
	stop_ipft
	wait $server
	cp $j $OUTDIR/lineage-tcp-$b.json 2>/dev/null
	linked_through $j clone skb_clone $b
	clones=$derived
	if [ "$IPFT_RC" -eq 0 ] && [ "$clones" -ge 2 ] && [ "$linked" -ge 2 ]; then
		result lineage-clone-$b PASS "clones=$clones parents_through_skb_clone=$linked"
	else
		result lineage-clone-$b FAIL "rc=$IPFT_RC clones=$clones parents_through_skb_clone=$linked $(tail -1 $f.err)"
		head -20 $j
	fi
}

# lineage_segment BACKEND TRACER-OPTIONS...
lineage_segment() {
	b=$1
	shift
	j=/tmp/gso-$b.json f=$OUTDIR/lineage-gso-$b.pcapng
	start_ipft $f -v "$@" -w $f -o json \
		-r '^(skb_segment|ip_finish_output2|udp_queue_rcv_skb|kfree_skbmem)$' udp port 9 >$j
	in_peer netpeer udp-sink 9 2 >/dev/null &
	sink=$!
	sleep 0.3
	netpeer udp 10.199.0.2 9 1 - - 3000 gso
	wait $sink
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/lineage-gso-$b.json 2>/dev/null
	# packet,parent,segment of each segment's lines
	segs=$(grep '"lineage":"segment"' $j |
		sed 's/.*"packet_id":"\([^"]*\)".*"parent_id":"\([^"]*\)".*"segment":\([0-9]*\).*/\1,\2,\3/' |
		sort -u)
	parents=$(echo "$segs" | cut -d, -f2 | sort -u | wc -l)
	idx=$(echo "$segs" | sed 's/.*,//' | sort -n | tr '\n' ' ')
	if [ "$IPFT_RC" -eq 0 ] && [ "$(echo "$segs" | grep -c .)" -eq 3 ] && [ "$parents" -eq 1 ] &&
		[ "$idx" = "0 1 2 " ]; then
		result lineage-segment-$b PASS "segments=3 of one parent, numbered $idx"
	else
		result lineage-segment-$b FAIL "rc=$IPFT_RC segments=[$segs] parents=$parents $(tail -1 $f.err)"
		head -20 $j
	fi
}

# lineage_merged BACKEND TRACER-OPTIONS...
lineage_merged() {
	b=$1
	shift
	if kernel_older 5 13; then
		result lineage-merged-$b SKIP "veth merges (GRO) only with XDP before 5.13"
		return
	fi
	if ! in_peer netpeer ethtool v1 gro on || ! netpeer ethtool v0 tso off; then
		result lineage-merged-$b FAIL "GRO on v1 or TSO off on v0 refused"
		return
	fi
	j=/tmp/gro-$b.json f=$OUTDIR/lineage-gro-$b.pcapng
	# The skb reaches GRO through napi_gro_receive, which 6.16 made an
	# inline wrapper of gro_receive_skb: without one of them traced, a
	# merged segment is new to ipft at skb_gro_receive, and only the
	# few it already followed are linked.
	start_ipft $f -v "$@" -w $f -o json \
		-r '^(skb_gro_receive|napi_gro_receive|gro_receive_skb|kfree_skbmem)$' tcp port 8084 >$j
	# A file of its own per run, gone before the server starts: the
	# shell truncates it in the child, after the loop below may have
	# read the last run's "listening".
	rm -f /tmp/server3-$b.out
	in_peer netpeer tcp-server 8084 >/tmp/server3-$b.out &
	server=$!
	i=0
	while ! grep -qs listening /tmp/server3-$b.out && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	netpeer tcp-send 10.199.0.2 8084 300000
	sleep 0.5
	stop_ipft
	wait $server
	in_peer netpeer ethtool v1 gro off
	netpeer ethtool v0 tso on
	cp $j $OUTDIR/lineage-gro-$b.json 2>/dev/null
	# merged,into for each merged packet; then whether "into" lists it
	pairs=$(grep '"lineage":"merged"' $j |
		sed 's/.*"packet_id":"\([^"]*\)".*"parent_id":"\([^"]*\)".*/\1,\2/' | sort -u)
	n=$(echo "$pairs" | grep -c .)
	listed=0
	for pair in $pairs; do
		grep "\"packet_id\":\"${pair#*,}\"" $j |
			grep -q "\"merged_ids\":\[[^]]*\"${pair%,*}\"" && listed=$((listed + 1))
	done
	if [ "$IPFT_RC" -eq 0 ] && [ "$n" -ge 1 ] && [ "$listed" -ge 1 ]; then
		result lineage-merged-$b PASS "merged=$n listed_by_their_packet=$listed (up to 16 each)"
	else
		result lineage-merged-$b FAIL "rc=$IPFT_RC merged=$n listed=$listed $(tail -1 $f.err)"
		grep -c . $j
	fi
}

# lineage_reassembled BACKEND TRACER-OPTIONS...
lineage_reassembled() {
	b=$1
	shift
	j=/tmp/frag-$b.json f=$OUTDIR/lineage-frag-$b.pcapng
	start_ipft $f -v "$@" -w $f -o json \
		-r '^(ip_rcv|ip_defrag|ip_local_deliver|udp_rcv|kfree_skbmem)$' \
		'udp port 9 or (ip[6:2] & 0x1fff != 0)' >$j
	netpeer udp 10.199.0.2 9 1 - - 4000
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/lineage-frag-$b.json 2>/dev/null
	line=$(grep '"lineage":"reassembled"' $j | head -1)
	n=$(grep '"lineage":"reassembled"' $j | grep -o '"packet_id":"0x[0-9a-f]*"' | sort -u | wc -l)
	dgram=$(echo "$line" | sed -n 's/.*"packet_id":"\(0x[0-9a-f]*\)".*/\1/p')
	parent=$(echo "$line" | sed -n 's/.*"parent_id":"\(0x[0-9a-f]*\)".*/\1/p')
	listed=$(echo "$line" | grep -o '"fragment_ids":\[[^]]*\]' | grep -o '0x[0-9a-f]*' | wc -l)
	frags=$(grep '"lineage":"fragment"' $j | grep -o '"packet_id":"0x[0-9a-f]*"' | sort -u | wc -l)
	# the parent's trace holds ip_defrag, the datagram's udp_rcv
	at_defrag=0 at_udp=0
	[ -n "$parent" ] && grep "\"packet_id\":\"$parent\"" $j | grep -q '"function":"ip_defrag"' &&
		at_defrag=1
	[ -n "$dgram" ] && grep "\"packet_id\":\"$dgram\"" $j | grep -q '"function":"udp_rcv"' &&
		at_udp=1
	if [ "$IPFT_RC" -eq 0 ] && [ "$n" -eq 1 ] && [ "$listed" -eq 3 ] && [ "$frags" -eq 2 ] &&
		[ $at_defrag -eq 1 ] && [ $at_udp -eq 1 ]; then
		result lineage-reassembled-$b PASS "one datagram listing 3 fragments, parent through ip_defrag, on to udp_rcv"
	else
		result lineage-reassembled-$b FAIL "rc=$IPFT_RC reassembled=$n listed=$listed fragments_linked=$frags parent_at_ip_defrag=$at_defrag datagram_at_udp_rcv=$at_udp $(tail -1 $f.err)"
		head -30 $j
	fi
}

# lineage_copy BACKEND TRACER-OPTIONS...
lineage_copy() {
	b=$1
	shift
	if ! in_peer nft add table ip ipft_dup ||
		! in_peer nft add chain ip ipft_dup pre '{ type filter hook prerouting priority 0; }' ||
		! in_peer nft add rule ip ipft_dup pre udp dport 7 dup to 10.199.0.1; then
		result lineage-copy-$b FAIL "nft refused the dup rule"
		in_peer nft delete table ip ipft_dup 2>/dev/null
		return
	fi
	j=/tmp/copy-$b.json f=$OUTDIR/lineage-copy-$b.pcapng
	start_ipft $f -v "$@" -w $f -o json \
		-r '^(__pskb_copy_fclone|kfree_skbmem)$|^(net|skb):' udp port 7 >$j
	netpeer udp 10.199.0.2 7 2
	sleep 0.5
	stop_ipft
	in_peer nft delete table ip ipft_dup
	cp $j $OUTDIR/lineage-copy-$b.json 2>/dev/null
	linked_through $j copy __pskb_copy_fclone $b
	copies=$derived
	if [ "$IPFT_RC" -eq 0 ] && [ "$copies" -eq 2 ] && [ "$linked" -eq 2 ]; then
		result lineage-copy-$b PASS "copies=2, parents through __pskb_copy_fclone=2"
	else
		result lineage-copy-$b FAIL "rc=$IPFT_RC copies=$copies linked=$linked $(tail -1 $f.err)"
		grep -o '"packet_id":"[^"]*".*"function":"[^"]*"' $j | sed 's/,.*"function"/ /' | head -20
	fi
}

# realloc_setup: the second child namespace, routed through the root one;
# false without the tunnel of tunnel.sh.
realloc_setup() {
	ip link show g0 >/dev/null 2>&1 || return 1
	ip link add name v2 type veth || return 1
	ip link set veth0 name v3
	unshare -n sleep 100000 </dev/null >/dev/null 2>&1 &
	PEER2_PID=$!
	sleep 0.2
	ip link set v3 netns $PEER2_PID || return 1
	ip addr add 10.198.0.1/24 dev v2
	ip link set v2 up
	nsenter -t $PEER2_PID -n ip addr add 10.198.0.2/24 dev v3
	nsenter -t $PEER2_PID -n ip link set v3 up
	nsenter -t $PEER2_PID -n ip route add default via 10.198.0.1
	echo 1 >/proc/sys/net/ipv4/ip_forward
}

# lineage_realloc BACKEND TRACER-OPTIONS...
lineage_realloc() {
	b=$1
	shift
	if [ -z "${PEER2_PID:-}" ]; then
		result lineage-realloc-$b FAIL "no tunnel g0 or no second namespace"
		return
	fi
	j=/tmp/realloc-$b.json f=$OUTDIR/lineage-realloc-$b.pcapng
	start_ipft $f -v "$@" -w $f -o json \
		-r '^(pskb_expand_head|ip_forward|udp_rcv|kfree_skbmem)$|^(net|skb):' \
		udp port 9 and host 10.198.0.2 >$j
	nsenter -t $PEER2_PID -n netpeer udp 10.201.0.2 9 2
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/lineage-realloc-$b.json 2>/dev/null
	whole=0
	for id in $(grep -o '"packet_id":"0x[0-9a-f]*"' $j | sort -u); do
		path=$(grep "$id" $j | sed -n 's/.*"function":"\([^"]*\)".*/\1/p' | tr '\n' ' ')
		# queued on g0, then on v0 (encapsulated), received behind g1
		echo "$path" |
			grep -q '^net_dev_queue .*ip_forward .*pskb_expand_head .*net_dev_queue .*net_dev_queue .*udp_rcv .*kfree_skb ' &&
			whole=$((whole + 1))
	done
	if [ "$IPFT_RC" -eq 0 ] && [ "$whole" -eq 2 ]; then
		result lineage-realloc-$b PASS "2 datagrams, each one packet from v3 through pskb_expand_head, g0 and v0 to its drop"
	else
		result lineage-realloc-$b FAIL "rc=$IPFT_RC whole=$whole $(tail -1 $f.err)"
		grep -o '"packet_id":"[^"]*".*"function":"[^"]*"' $j | sed 's/,.*"function"/ /' | head -40
	fi
}

PEER2_PID=
realloc_setup || echo "INFO no second namespace for lineage-realloc"
for b in fentry kprobe-multi kprobe; do
	grep -q "^backend $b: works" /tmp/list.txt || continue
	if [ $b = fentry ]; then
		set -- -t function_graph
	else
		set -- -t function -b $b
	fi
	lineage_clone $b "$@"
	lineage_segment $b "$@"
	lineage_merged $b "$@"
	lineage_reassembled $b "$@"
	lineage_copy $b "$@"
	lineage_realloc $b "$@"
done
