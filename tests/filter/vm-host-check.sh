#!/bin/sh
# vm-host-check.sh DIR SUITE: checks on the host the files that
# tests/filter/vm-guest.sh wrote in a guest: each holds exactly the packets
# its expression matches, read back by tshark.
set -u
dir=$1 suite=$2
TSHARK=${TSHARK:-tshark}

# check NAME WANT DESCRIPTION: WANT is a shell test over $lines (one line
# per packet: ip.proto, udp.dstport, tcp.dstport, icmp.type) and $n
check() {
	f=$dir/filter-$1.pcapng
	if [ ! -s "$f" ]; then
		echo "RESULT test=$suite-host-filter-$1 status=FAIL no file $f"
		return
	fi
	lines=$("$TSHARK" -r "$f" -Y frame.packet_id -T fields -e ip.proto -e udp.dstport -e tcp.dstport \
		-e icmp.type 2>/dev/null | tr '\t,' ' ;')
	n=$(printf '%s\n' "$lines" | grep -c .)
	if eval "$2"; then
		echo "RESULT test=$suite-host-filter-$1 status=PASS $3 (packets=$n)"
	else
		echo "RESULT test=$suite-host-filter-$1 status=FAIL $3: got $n: $(printf '%s' "$lines" | tr '\n' '|')"
	fi
}

check udp9 '[ "$n" -eq 3 ] && [ "$(printf "%s\n" "$lines" | grep -c "^17 9 ")" -eq 3 ]' \
	"'udp port 9': the three datagrams to port 9 only"
check tcp8081 '[ "$n" -eq 1 ] && printf "%s\n" "$lines" | grep -q "^6  8081"' \
	"--proto tcp --dport 8081: the SYN only"
check icmp '[ "$n" -ge 2 ] && ! printf "%s\n" "$lines" | grep -qv "^1[ ;]"' \
	"'icmp': echo request, reply and port unreachables, nothing else"
check l2only '[ "$n" -eq 3 ] && [ "$(printf "%s\n" "$lines" | grep -c "^17 10 ")" -eq 3 ]' \
	"'not ether broadcast and udp port 10': the three datagrams to port 10 (seen with a MAC header)"
