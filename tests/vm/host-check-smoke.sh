#!/bin/sh
# host-check-smoke.sh DIR SUITE: checks on the host what guest/smoke.sh wrote.
# The pcapng file must hold the three datagrams to port 9, each with a path
# ending in kfree_skb (NO_SOCKET), readable by tshark and by pcapng-dump.
set -u
dir=$1 suite=$2
f=$dir/udp-tracepoint.pcapng
if [ ! -s "$f" ]; then
	echo "RESULT test=$suite-host-udp-tracepoint status=FAIL no file $f"
	exit 0
fi
n=$(tshark -r "$f" -Y 'udp.dstport == 9 && ip.dst == 10.199.0.2' -T fields -e frame.comment 2>/dev/null |
	grep -c 'kfree_skb (NO_SOCKET)')
if [ "$n" -eq 3 ]; then
	echo "RESULT test=$suite-host-udp-tracepoint status=PASS datagrams=3 path_ends=kfree_skb(NO_SOCKET)"
else
	echo "RESULT test=$suite-host-udp-tracepoint status=FAIL datagrams_with_drop=$n"
fi
if [ -n "${PCAPNG_DUMP:-}" ]; then
	if "$PCAPNG_DUMP" "$f" | grep -q 'RUN_INFO .*backend="tracepoint"'; then
		echo "RESULT test=$suite-host-pcapng-dump status=PASS backend=tracepoint"
	else
		echo "RESULT test=$suite-host-pcapng-dump status=FAIL"
	fi
fi

# The function backends (guest/smoke.sh): each trace that ran holds the
# three datagrams, their path through ip_rcv and __udp4_lib_rcv ending in
# kfree_skb (NO_SOCKET).
for b in kprobe-multi kprobe; do
	f=$dir/udp-$b.pcapng
	[ -e "$f" ] || continue
	tshark -r "$f" -Y 'udp.dstport == 9 && ip.dst == 10.199.0.2' -T fields \
		-e frame.comment 2>/dev/null >"$dir/udp-$b.txt"
	n=$(grep -c 'ip_rcv.*__udp4_lib_rcv.*kfree_skb (NO_SOCKET)' "$dir/udp-$b.txt")
	if [ "$n" -eq 3 ]; then
		echo "RESULT test=$suite-host-udp-$b status=PASS datagrams=3 path=\"$(head -1 "$dir/udp-$b.txt")\""
	else
		echo "RESULT test=$suite-host-udp-$b status=FAIL datagrams_with_path=$n first=\"$(head -1 "$dir/udp-$b.txt")\""
	fi
done
# auto picks kprobe-multi on 6.12 (FPROBE) and kprobe on 6.1.
want=kprobe-multi
[ "$suite" = bookworm ] && want=kprobe
if grep -q "backend tracepoint+$want," "$dir/auto.err" 2>/dev/null; then
	echo "RESULT test=$suite-host-auto status=PASS picked tracepoint+$want"
else
	echo "RESULT test=$suite-host-auto status=FAIL $(grep -o 'backend [a-z+-]*' "$dir/auto.err" 2>/dev/null | head -1)"
fi

# The TCP handshake, per function backend: the SYN went out through
# ip_output and dev_queue_xmit and came in through ip_rcv and tcp_v4_rcv;
# the handshake packets have their own packet ids.
for b in kprobe-multi kprobe; do
	f=$dir/tcp-$b.pcapng
	[ -e "$f" ] || continue
	syn=$(tshark -r "$f" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e frame.comment 2>/dev/null | head -1)
	ids=$(tshark -r "$f" -Y 'tcp.port == 8081' -T fields -e frame.packet_id 2>/dev/null | sort -u | grep -c .)
	case "$syn" in
	*ip_output*dev_queue_xmit*ip_rcv*tcp_v4_rcv*)
		if [ "$ids" -ge 3 ]; then
			echo "RESULT test=$suite-host-tcp-$b status=PASS packets=$ids syn=\"$syn\""
		else
			echo "RESULT test=$suite-host-tcp-$b status=FAIL packet_ids=$ids"
		fi ;;
	*) echo "RESULT test=$suite-host-tcp-$b status=FAIL syn=\"$syn\"" ;;
	esac
done
