#!/bin/sh
# ipft trim on files ipft wrote live, in both carriers (the trace as an EPB
# option, and --trace-blocks), with --raw-addresses: UDP datagrams with a
# recognisable payload to a closed port and a TCP connection sending a
# line.  Read back with tshark and the plugin, the trimmed file has the
# same packets, lengths, packet ids, paths, drop reasons and locations;
# it has no payload, no command line, no OS build or hardware, no kernel
# address; each flag trims its part only.  Also: a trace split over
# several options (samples/big-trace), and a file of the other byte order.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_root
NETPEER=$top_builddir/tests/tracer/netpeer
SWAP=$top_builddir/tests/pcapng/pcapng-swap
[ -x "$IPFT" ] && [ -x "$NETPEER" ] && [ -x "$SWAP" ] || die "ipft, netpeer or pcapng-swap not built"
make_pair "ipt$$"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"

# trace NAME ARGS...: the traffic traced into $T/NAME.pcapng.
trace() {
	name=$1; shift
	start_ipft "$T/$name.pcapng" -w "$T/$name.pcapng" --netns "/run/netns/$NS_A" \
		--raw-addresses "$@" 'udp port 9 or tcp port 8083'
	# The server gives up after 10 s: started once ipft traces.
	ip netns exec "$NS_B" "$NETPEER" tcp-server 8083 >"$T/server" &
	add_cleanup "kill $!"
	i=0
	while ! grep -q listening "$T/server" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || die "the TCP server did not start"; sleep 0.1
	done
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 - - 100 || die "netpeer failed"
	ip netns exec "$NS_A" "$NETPEER" tcp-client "$IP_B" 8083 || die "netpeer tcp failed"
	i=0
	while [ "$("$DUMP" "$T/$name.pcapng" 2>/dev/null | grep -c 'NO_SOCKET)')" -lt 3 ] &&
		[ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	sleep 0.5
	stop_ipft INT
	check "$name: traced (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
}

# trim IN OUT FLAGS...: ipft trim, its stderr in $T/trim.err; sets TRIM_RC.
trim() {
	in=$1 out=$2; shift 2
	TRIM_RC=0
	"$IPFT" trim "$in" "$out" "$@" 2>"$T/trim.err" || TRIM_RC=$?
	chmod a+r "$out" 2>/dev/null || true
}

# view FILE: what the plugin shows of each packet, one line each (the
# Custom Blocks, which tshark shows as records too, left out).
view() {
	tsp -r "$1" -Y eth -T fields -e frame.number -e frame.len -e frame.packet_id -e ipft.packet_id \
		-e ip.dst -e udp.dstport -e tcp.dstport -e tcp.flags.str \
		-e ipft.path -e ipft.events -e ipft.drop_reason -e ipft.drop_location
}

payload() { grep -a -o -e 'ipft-test-datagram' -e 'hello ipft' "$1" | wc -l; }

trace opt
trace blk --trace-blocks
for name in opt blk; do
	f=$T/$name.pcapng t=$T/$name.trim.pcapng
	chmod a+r "$f"
	trim "$f" "$t"
	cat "$T/trim.err"
	check "$name: ipft trim exits 0 with one line (rc $TRIM_RC)" sh -c \
		"[ $TRIM_RC -eq 0 ] && [ \$(wc -l <'$T/trim.err') -eq 1 ] &&
		 grep -q 'without: payload, cmdline, host, addresses' '$T/trim.err'"
	check "$name: capinfos reads the trimmed file" sh -c "'$CAPINFOS' '$t' >/dev/null"
	view "$f" >"$T/$name.view"
	view "$t" >"$T/$name.trim.view"
	head -4 "$T/$name.trim.view"
	check "$name: same packets, lengths, ids, paths, drop reasons and locations" sh -c \
		"[ \$(grep -c 'NO_SOCKET	[_a-z0-9]*udp[_a-z0-9]*+0x' '$T/$name.view') -eq 3 ] &&
		 [ \$(grep -c 'tcp_v4_rcv\\|tcp_probe\\|consume_skb' '$T/$name.view') -ge 3 ] &&
		 cmp '$T/$name.view' '$T/$name.trim.view'"
	check "$name: each trace's packet id is its packet's" \
		[ "$(tsp -r "$t" -Y 'eth && ipft.packet_id == frame.packet_id' | wc -l)" -eq "$(wc -l <"$T/$name.view")" ]
	"$DUMP" "$f" >"$T/$name.dump"
	"$DUMP" "$t" >"$T/$name.trim.dump"
	check "$name: the original has payload ($(payload "$f")), command line, OS, addresses" sh -c \
		"[ $(payload "$f") -gt 3 ] && grep -a -q 'run/netns' '$f' &&
		 grep -q '^SHB .* os=\"Linux .* hardware=' '$T/$name.dump' &&
		 grep -q 'location_addr=0x' '$T/$name.dump'"
	check "$name: the trimmed file has no payload ($(payload "$t"))" [ "$(payload "$t")" -eq 0 ]
	check "$name: no command line (SHB comment, RUN_INFO), the rest of the comment kept" sh -c \
		"! grep -a -q 'run/netns' '$t' && ! grep -q 'cmdline=' '$T/$name.trim.dump' &&
		 grep -q '^SHB .*comment=\"ipft trace: (command line left out by ipft trim); backend tracepoint, [0-9]* attach points\"' '$T/$name.trim.dump'"
	check "$name: no OS build, no hardware; the kernel release kept" sh -c \
		"! grep -q -e ' os=' -e ' hardware=' '$T/$name.trim.dump' &&
		 grep -q 'RUN_INFO kernel=\"$(uname -r)\" .*trimmed=\"payload, cmdline, host, addresses\"' '$T/$name.trim.dump'"
	check "$name: no kernel address" sh -c "! grep -q 'addr=' '$T/$name.trim.dump'"
done
check "blk: each trace still a Custom Block before its packet" \
	[ "$(grep -c '^CB .*' "$T/blk.trim.dump")" -eq "$(grep -c '^CB .*' "$T/blk.dump")" ]

# Each flag trims its part only.
f=$T/opt.pcapng
trim "$f" "$T/addr.pcapng" --addresses
"$DUMP" "$T/addr.pcapng" >"$T/addr.dump"
check "--addresses: addresses gone; payload, command line and OS kept" sh -c \
	"[ $TRIM_RC -eq 0 ] && ! grep -q 'addr=' '$T/addr.dump' && [ $(payload "$T/addr.pcapng") -gt 3 ] &&
	 grep -q 'cmdline=\".*run/netns' '$T/addr.dump' && grep -q ' os=\"Linux' '$T/addr.dump' &&
	 grep -q 'trimmed=\"addresses\"' '$T/addr.dump'"
trim "$f" "$T/pc.pcapng" --payload --cmdline
"$DUMP" "$T/pc.pcapng" >"$T/pc.dump"
check "--payload --cmdline: those gone; addresses and OS kept" sh -c \
	"[ $TRIM_RC -eq 0 ] && [ $(payload "$T/pc.pcapng") -eq 0 ] && ! grep -a -q 'run/netns' '$T/pc.pcapng' &&
	 grep -q 'location_addr=0x' '$T/pc.dump' && grep -q ' os=\"Linux' '$T/pc.dump'"
trim "$f" "$T/host.pcapng" --host
"$DUMP" "$T/host.pcapng" >"$T/host.dump"
check "--host: OS and hardware gone; the rest kept" sh -c \
	"[ $TRIM_RC -eq 0 ] && ! grep -q -e ' os=' -e ' hardware=' '$T/host.dump' &&
	 grep -q 'location_addr=0x' '$T/host.dump' && [ $(payload "$T/host.pcapng") -gt 3 ]"

# A trace over three options (3000 events): joined, encoded again.
big=$(sample big-trace)
trim "$big" "$T/big.pcapng"
"$DUMP" "$T/big.pcapng" >"$T/big.dump"
check "big-trace: 3000 events in $(grep -c '^  TRACE' "$T/big.dump") parts, no address" sh -c \
	"[ $TRIM_RC -eq 0 ] && [ \$(grep -c '^    EVENT' '$T/big.dump') -eq 3000 ] &&
	 [ \$(grep -c '^  TRACE' '$T/big.dump') -ge 2 ] && ! grep -q 'addr=' '$T/big.dump'"
check "big-trace: the plugin joins the parts: 3000 events" \
	[ "$(tsp -r "$T/big.pcapng" -T fields -e ipft.events)" = 3000 ]

# Traces in Custom Blocks split in parts (the format allows it; ipft
# writes one block): joined into one block, a missing part flagged.
"$top_builddir/tests/tracer/gen-split-trace" "$T/split.pcapng" || die "gen-split-trace failed"
chmod a+r "$T/split.pcapng"
trim "$T/split.pcapng" "$T/split.trim.pcapng"
"$DUMP" "$T/split.pcapng" >"$T/split.dump"
"$DUMP" "$T/split.trim.pcapng" >"$T/split.trim.dump"
grep '^  TRACE' "$T/split.trim.dump"
check "split blocks: $(grep -c '^  TRACE' "$T/split.dump") parts joined into one block per packet" sh -c \
	"[ $TRIM_RC -eq 0 ] && [ \$(grep -c '^  TRACE' '$T/split.dump') -gt 6 ] &&
	 [ \$(grep -c '^  TRACE .* part=0/1 ' '$T/split.trim.dump') -eq 2 ] &&
	 ! grep -q 'addr=' '$T/split.trim.dump'"
check "split blocks: the whole trace has its 40 events, the one missing a part is flagged" sh -c \
	"grep -q 'TRACE packet_id=0x5b11700000000001 flags=complete part=0/1 events=40' '$T/split.trim.dump' &&
	 grep -q 'TRACE packet_id=0x5b11700000000002 flags=complete,lost part=0/1 events=3[0-9]' '$T/split.trim.dump'"
n2=$(grep 'TRACE packet_id=0x5b11700000000002' "$T/split.trim.dump" | sed 's/.*events=//')
tsp -r "$T/split.trim.pcapng" -Y eth -T fields -e ipft.events -e ipft.drop_location >"$T/split.view"
check "split blocks: the plugin reads both, 40 and $n2 events, the drop where it was" \
	[ "$(cat "$T/split.view")" = "$(printf '40\t__udp4_lib_rcv+0x8f1\n%s\t__udp4_lib_rcv+0x8f1' "$n2")" ]

# The other byte order: the same file once trimmed.
"$SWAP" "$T/opt.pcapng" "$T/swapped.pcapng" || die "pcapng-swap failed"
trim "$T/swapped.pcapng" "$T/swapped.trim.pcapng"
check "the other byte order: trimmed to the same file" sh -c \
	"[ $TRIM_RC -eq 0 ] && '$DUMP' '$T/swapped.trim.pcapng' | cmp -s - '$T/opt.trim.dump'"
finish
