# Guest test, sourced at the end of smoke.sh (its veth pair, /tmp/list.txt):
# the collectors with each function backend this kernel has.  A datagram
# from the root namespace to a closed port in the child one, traced from
# where it enters the child (--netns) through kernel functions: the first
# event says every meta key, for the child's device; the drop's event has
# a stack through __udp4_lib_rcv (udp_rcv where it is inlined: 6.1); the
# kfree_skb tracepoint gives the drop reason; --stack-at puts one on ip_rcv's events,
# taken in a kprobe or a trampoline (through __netif_receive_skb); with
# fentry (function_graph) the returns say nothing.
cfuncs='^(__netif_receive_skb_core|ip_rcv|ip_local_deliver|udp_rcv|kfree_skbmem|kfree_skb)$'
for b in kprobe-multi kprobe fentry; do
	grep -q "^backend $b: works" /tmp/list.txt || continue
	j=/tmp/collect-$b.json
	start_ipft $j -v -b $b -r "$cfuncs" -x meta,stack --stack-at '^ip_rcv$' -o json \
		--netns $PEER_NETNS udp port 9 >$j
	netpeer udp 10.199.0.2 9 2
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/ 2>/dev/null
	first=$(grep -c '"dev":"v1","ifindex":[0-9]*,"netns":[0-9]*,"len":[0-9]*,"data_len":0,"mark":"0x0","protocol":"0x800","pkt_type":"host","cloned":[01],"gso_size":0,"gso_segs":[0-9]*,"gso_type":"none"' $j)
	rets=$(grep '"is_return":true' $j | grep -c '"len":')
	if [ "$IPFT_RC" -eq 0 ] && [ "$first" -eq 2 ] && [ "$rets" -eq 0 ]; then
		result collect-meta-$b PASS "first_events=$first"
	else
		result collect-meta-$b FAIL "rc=$IPFT_RC packets=$packets first_events=$first returns_with_meta=$rets $(tail -1 $j.err)"
		head -5 $j
	fi
	drops=$(grep -Ec '"drop_reason".*"stack":\[[^]]*"(__udp4_lib_rcv|udp_rcv)\+0x' $j)
	at=$(grep '"function":"ip_rcv","is_return":false' $j | grep -c '"stack":\[[^]]*"__netif_receive_skb')
	if [ "$drops" -eq 2 ] && [ "$at" -eq 2 ]; then
		result collect-stack-$b PASS "drops=$drops ip_rcv=$at"
	else
		result collect-stack-$b FAIL "drops=$drops ip_rcv=$at"
		grep '"stack"' $j | head -3
	fi
done

# A user extension (-e): samples/extensions/gso.bpf.c as make builds it
# (/gso.bpf.o), linked into the programs of each function backend.  The
# same datagrams: each packet's first event says all four of its members
# (the host's tracepoints give 46 bytes there: IP, UDP, 18 of data), and
# udp_rcv, past the IP header, only the len that changed.  As with meta,
# a return says nothing (-t function_graph: its entry said it).
for b in kprobe-multi kprobe fentry; do
	grep -q "^backend $b: works" /tmp/list.txt || continue
	t=
	[ $b != fentry ] || t='-t function_graph'
	j=/tmp/collect-ext-$b.json
	start_ipft $j -v -b $b $t -r "$cfuncs" -e /gso.bpf.o -o json --netns $PEER_NETNS udp port 9 >$j
	netpeer udp 10.199.0.2 9 2
	sleep 0.5
	stop_ipft
	cp $j $OUTDIR/ 2>/dev/null
	# packets, and those whose first event says all four members
	pf=$(awk -F'"packet_id":"' 'NF > 1 { split($2, p, "\""); if (!(p[1] in seen)) { seen[p[1]] = 1; n++
		if (/"len":46,"gso_size":0,"gso_segs":[01],"gso_type":"none"/) k++ } }
		END { print n + 0, k + 0 }' $j)
	packets=${pf% *} first=${pf#* }
	udp=$(grep '"function":"udp_rcv","is_return":false' $j | grep '"len":26' | grep -vc '"gso_type"')
	rets=$(grep -c '"is_return":true' $j)
	said=$(grep '"is_return":true' $j | grep -c '"len":')
	# Returns: only fentry's, and none of them with the extension's keys.
	if [ $b = fentry ]; then [ "$rets" -gt 0 ]; else [ "$rets" -eq 0 ]; fi
	graph=$?
	if [ "$IPFT_RC" -eq 0 ] && [ "$packets" -eq 2 ] && [ "$first" -eq 2 ] && [ "$udp" -eq 2 ] &&
		[ $graph -eq 0 ] && [ "$said" -eq 0 ]; then
		result collect-ext-$b PASS "packets=$packets first_events=$first udp_rcv_len=$udp returns=$rets"
	else
		result collect-ext-$b FAIL "rc=$IPFT_RC packets=$packets first_events=$first udp_rcv_len=$udp returns=$rets returns_with_ext=$said $(tail -1 $j.err)"
		head -8 $j
	fi
done
