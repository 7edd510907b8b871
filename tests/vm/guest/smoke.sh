# Guest test: ipft starts in this kernel, lists its attach points and traces
# a UDP datagram dropped at a closed port in a child namespace with the
# tracepoint backend. The pcapng file goes to $OUTDIR/udp-tracepoint.pcapng
# for the host to check.
. /lib.sh
echo "INFO kernel=$(uname -r)"

if v=$(ipft --version 2>&1); then
	result version PASS "\"$(echo $v | head -1)\""
else
	result version FAIL "$v"
fi

t0=$(ms)
if ipft -l >/tmp/list.txt 2>/tmp/list.err; then
	result list PASS "points=$(wc -l </tmp/list.txt) ms=$(($(ms) - t0))"
else
	result list FAIL "$(head -1 /tmp/list.err)"
fi

if ! make_pair; then
	result veth-netns FAIL "no veth pair or no ping through it"
	exit 1
fi
result veth-netns PASS

f=$OUTDIR/udp-tracepoint.pcapng
t0=$(ms)
start_ipft $f -v -b tracepoint -w $f --netns $PEER_NETNS udp port 9
t1=$(ms)
netpeer udp 10.199.0.2 9 3
sleep 0.5
stop_ipft
t2=$(ms)
if [ "$IPFT_RC" -eq 0 ] && [ -s $f ]; then
	result udp-drop-tracepoint PASS "start_ms=$((t1 - t0)) stop_ms=$((t2 - t1)) bytes=$(wc -c <$f)"
else
	result udp-drop-tracepoint FAIL "rc=$IPFT_RC $(tail -1 $f.err)"
fi
cat $f.err
