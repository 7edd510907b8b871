# Guest test for the tests/vm harness (busybox sh inside the VM): pcap-filter
# expressions in this kernel.  xlat-diff runs every translated expression
# through this kernel's verifier and BPF_PROG_TEST_RUN against libpcap's
# verdicts; then ipft traces mixed traffic into the child namespace with
# expressions, and the host (tests/filter/vm-host-check.sh) checks that each
# file holds exactly the matching packets.
. /lib.sh
echo "INFO kernel=$(uname -r)"

if xlat-diff >/tmp/xlat.out 2>&1; then
	result xlat-diff PASS "\"$(tail -1 /tmp/xlat.out)\" $(tail -2 /tmp/xlat.out | head -1 | cut -d';' -f1)"
else
	result xlat-diff FAIL "$(grep -m 3 FAIL /tmp/xlat.out | tr '\n' ' ') $(tail -1 /tmp/xlat.out)"
	cat /tmp/xlat.out
fi

if ! make_pair; then
	result veth-netns FAIL "no veth pair or no ping through it"
	exit 1
fi

# UDP to ports 9 and 10, a TCP connection to a closed port, a ping.
traffic() {
	netpeer udp 10.199.0.2 9 3
	netpeer udp 10.199.0.2 10 3
	netpeer tcp-client 10.199.0.2 8081 2>/dev/null
	ping -c 1 -W 2 10.199.0.2 >/dev/null
	sleep 0.5
}

# trace NAME ARGS...: ipft with ARGS over the traffic into $OUTDIR/NAME.pcapng
trace() {
	name=$1
	shift
	f=$OUTDIR/filter-$name.pcapng
	start_ipft $f -v -b tracepoint -w $f --netns $PEER_NETNS "$@"
	traffic
	stop_ipft
	if [ "$IPFT_RC" -eq 0 ] && [ -s $f ]; then
		result "filter-$name" PASS "rc=0 bytes=$(wc -c <$f)"
	else
		result "filter-$name" FAIL "rc=$IPFT_RC $(grep -v '^ipft: attaching' $f.err | tail -1)"
	fi
}

trace udp9 udp port 9
trace tcp8081 --proto tcp --dport 8081
trace icmp icmp
trace l2only not ether broadcast and udp port 10
n=$(grep -c 'needs link-layer fields' $OUTDIR/filter-l2only.pcapng.err)
if [ "$n" -eq 1 ]; then
	result filter-l2only-warning PASS "said once that L3-only packets cannot match"
else
	result filter-l2only-warning FAIL "the warning appeared $n times"
fi
ipft -w $OUTDIR/filter-bad.pcapng 'tcp port' >/tmp/bad.out 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c . /tmp/bad.out)" -eq 1 ] && grep -q 'syntax error' /tmp/bad.out &&
	[ ! -e $OUTDIR/filter-bad.pcapng ]; then
	result filter-bad-expression PASS "exit 1: $(cat /tmp/bad.out)"
else
	result filter-bad-expression FAIL "rc=$rc $(head -1 /tmp/bad.out)"
fi
