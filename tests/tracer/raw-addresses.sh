#!/bin/sh
# Kernel addresses tell where the kernel sits in memory (KASLR): by default
# neither the file nor -o json nor -o aggregate carries one, and a drop
# location is its sym+off; --raw-addresses writes the drop location's
# address too, and it is the kernel's: the symbol's /proc/kallsyms address
# plus the offset.  Three UDP datagrams to a closed port, traced twice.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ir$$"
ns=/run/netns/$NS_A

# trace NAME ARGS...: the three datagrams traced into $T/NAME.pcapng, ipft's
# stdout in $T/NAME.out, pcapng-dump's reading in $T/NAME.dump.
trace() {
	name=$1; shift
	start_ipft "$T/$name.pcapng" -w "$T/$name.pcapng" --netns "$ns" "$@" udp port 9
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
	wait_drops 3 "$T/$name.pcapng"
	stop_ipft INT
	check "$name: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	cp "$T/ipft.stdout" "$T/$name.out"
	"$DUMP" "$T/$name.pcapng" >"$T/$name.dump"
}

trace default -o json
grep 'NO_SOCKET' "$T/default.dump" | head -1
check "default file: three drops, each located as sym+off" \
	[ "$(grep -c 'reason=NO_SOCKET location=__udp4_lib_rcv+0x[0-9a-f]*$' "$T/default.dump")" -eq 3 ]
check "default file: no drop location address, no function address" \
	sh -c "! grep -q 'addr=' '$T/default.dump'"
check "default -o json: drop locations as sym+off, never an address" \
	sh -c "[ \$(grep -c '\"drop_location\":\"__udp4_lib_rcv+0x[0-9a-f]*\"' '$T/default.out') -eq 3 ] &&
		! grep -q -e '\"drop_location\":\"0x' -e 'addr' '$T/default.out'"

trace aggregate -o aggregate
check "default -o aggregate: locations as sym+off, never an address" \
	sh -c "[ \$(grep -c 'reason=NO_SOCKET location=__udp4_lib_rcv+0x' '$T/aggregate.out') -eq 3 ] &&
		! grep -q 'location=0x' '$T/aggregate.out'"
check "default -o aggregate with -w: the file has no address either" \
	sh -c "! grep -q 'addr=' '$T/aggregate.dump'"

trace raw --raw-addresses
line=$(grep -m1 'reason=NO_SOCKET' "$T/raw.dump")
echo "$line"
check "--raw-addresses: three drops with address and sym+off" \
	[ "$(grep -c 'reason=NO_SOCKET location_addr=0x[0-9a-f]* location=__udp4_lib_rcv+0x[0-9a-f]*$' "$T/raw.dump")" -eq 3 ]
# The address is __udp4_lib_rcv's in /proc/kallsyms plus the offset (the
# high halves equal, the low halves added: shell numbers are signed).
addr=$(echo "$line" | sed 's/.*location_addr=0x\([0-9a-f]*\).*/\1/')
off=$(echo "$line" | sed 's/.*location=__udp4_lib_rcv+\(0x[0-9a-f]*\).*/\1/')
sym=$(awk '$3 == "__udp4_lib_rcv" { print $1; exit }' /proc/kallsyms)
low=$(printf '%08x' $(( 0x$(echo "$sym" | cut -c9-16) + off )))
check "--raw-addresses: the address is __udp4_lib_rcv ($sym) + $off" \
	[ "$addr" = "$(echo "$sym" | cut -c1-8)$low" ]
finish
