# Guest test, sourced at the end of smoke.sh (its veth pair, /tmp/list.txt):
# the flight recorder (--trigger drop) with each function backend this
# kernel has: two datagrams to a closed port in the child namespace and
# two to a socket there that never reads; only the two drops leave the
# kernel, each with its whole path; the other two are counted discarded.
# Then ipft's sweep: a datagram alive past --flush-timeout 1 is written
# while ipft runs, ended in the kernel (bpf/sweep.bpf.h) where it can be.
tfuncs='^(__netif_receive_skb_core|ip_rcv|ip_local_deliver|udp_rcv|kfree_skbmem|kfree_skb|kfree_skb_reason)$'
for b in kprobe-multi kprobe fentry; do
	grep -q "^backend $b: works" /tmp/list.txt || continue
	graph=
	[ $b = fentry ] && graph='-t function_graph'
	j=/tmp/trigger-$b.json
	start_ipft $j -v -b $b $graph -r "$tfuncs" --trigger drop -o json \
		--netns $PEER_NETNS 'udp and (dst port 9 or dst port 10)' >$j
	# Bound once ipft traces (attaching can take longer than a sink's
	# life here), gone after it stops: closing it frees what it holds,
	# which kernels without drop reasons (5.10) call drops.
	# nsenter itself in the background, not in_peer's subshell: $! is
	# then the sink, which the kill below ends before the next backend's
	# sink binds the port.
	rm -f /tmp/sink.out # not the last run's "bound" (see lineage.sh)
	nsenter -t $PEER_PID -n netpeer udp-sink 10 60 >/tmp/sink.out &
	sink=$!
	i=0
	until grep -q bound /tmp/sink.out 2>/dev/null || [ $i -gt 100 ]; do i=$((i + 1)); sleep 0.1; done
	netpeer udp 10.199.0.2 10 2
	netpeer udp 10.199.0.2 9 2
	sleep 0.5
	stop_ipft
	cp $j $j.err $OUTDIR/ 2>/dev/null
	ids=$(grep -o '"packet_id":"0x[0-9a-f]*"' $j | sort -u | wc -l)
	drops=$(grep -c '"drop_reason"' $j)
	first=$(grep -c '"function":"ip_rcv"' $j)
	said=$(grep -o -- '--trigger: [0-9]* packets followed, [0-9]* discarded' $j.err)
	discarded=$(echo "$said" | sed -n 's/.*followed, \([0-9]*\) discarded/\1/p')
	if [ "$IPFT_RC" -eq 0 ] && [ "$ids" -eq 2 ] && [ "$drops" -eq 2 ] && [ "$first" -ge 2 ] &&
		[ "${discarded:-0}" -ge 2 ]; then
		result trigger-$b PASS "packets=$ids drops=$drops \"$said\""
	else
		result trigger-$b FAIL "rc=$IPFT_RC packets=$ids drops=$drops first=$first \"$said\" $(tail -1 $j.err)"
		head -3 $j
	fi
	kill $sink 2>/dev/null
	wait $sink 2>/dev/null
done

j=/tmp/sweep.json
start_ipft $j -v -b tracepoint --flush-timeout 1 -o json --netns $PEER_NETNS udp port 11 >$j
rm -f /tmp/sink.out
nsenter -t $PEER_PID -n netpeer udp-sink 11 60 >/tmp/sink.out &
sink=$!
i=0
until grep -q bound /tmp/sink.out 2>/dev/null || [ $i -gt 100 ]; do i=$((i + 1)); sleep 0.1; done
netpeer udp 10.199.0.2 11 1
sleep 6
kill -USR1 $IPFT_PID
sleep 0.5
stop_ipft
so_far=$(grep -o 'so far [0-9]* packets written ([0-9]* partial)' $j.err | head -1)
if [ "$IPFT_RC" -eq 0 ] && [ "$so_far" = "so far 1 packets written (1 partial)" ] &&
	! grep -q 'cannot run a BPF program on request' $j.err; then
	result sweep-in-kernel PASS "\"$so_far\" before the stop"
else
	result sweep-in-kernel FAIL "rc=$IPFT_RC \"$so_far\" $(grep 'cannot run' $j.err)"
fi
kill $sink 2>/dev/null
wait $sink 2>/dev/null
