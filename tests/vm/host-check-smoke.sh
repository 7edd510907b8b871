#!/bin/sh
# host-check-smoke.sh DIR SUITE: checks on the host what guest/smoke.sh wrote.
# The pcapng file must hold the three datagrams to port 9, each with a path
# ending in kfree_skb (NO_SOCKET, or UNKNOWN where the kernel has no drop
# reasons), readable by tshark and by pcapng-dump.
set -u
dir=$1 suite=$2
# What the guest found its kernel to have (guest/smoke.sh): a kernel
# without drop reasons (before 5.17) has its drops written as UNKNOWN; one
# without module BTF (before 5.11) has no module functions to trace.
drop_reasons=1 module_btf=1
[ -s "$dir/kernel.txt" ] && . "$dir/kernel.txt"
reason=NO_SOCKET
[ "$drop_reasons" = 1 ] || reason=UNKNOWN
modfn=veth_xmit
[ "$module_btf" = 1 ] || modfn=
f=$dir/udp-tracepoint.pcapng
if [ ! -s "$f" ]; then
	echo "RESULT test=$suite-host-udp-tracepoint status=FAIL no file $f"
	exit 0
fi
n=$(tshark -r "$f" -Y 'udp.dstport == 9 && ip.dst == 10.199.0.2' -T fields -e frame.comment 2>/dev/null |
	grep -c "kfree_skb ($reason)")
if [ "$n" -eq 3 ]; then
	echo "RESULT test=$suite-host-udp-tracepoint status=PASS datagrams=3 path_ends=kfree_skb($reason)"
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
# three datagrams, their path through ip_rcv and udp_rcv ending in
# kfree_skb (the drop reason).
for b in kprobe-multi kprobe fentry; do
	f=$dir/udp-$b.pcapng
	[ -e "$f" ] || continue
	tshark -r "$f" -Y 'udp.dstport == 9 && ip.dst == 10.199.0.2' -T fields \
		-e frame.comment 2>/dev/null >"$dir/udp-$b.txt"
	n=$(grep -c "ip_rcv.*udp_rcv.*kfree_skb ($reason)" "$dir/udp-$b.txt")
	if [ "$n" -eq 3 ]; then
		echo "RESULT test=$suite-host-udp-$b status=PASS datagrams=3 path=\"$(head -1 "$dir/udp-$b.txt")\""
	else
		echo "RESULT test=$suite-host-udp-$b status=FAIL datagrams_with_path=$n first=\"$(head -1 "$dir/udp-$b.txt")\""
	fi
done
# Each function backend recorded the functions' real addresses
# (bpf_get_func_ip, right on IBT/endbr kernels; kallsyms's where the kernel
# has no bpf_get_func_ip): those of /proc/kallsyms, for the kernel's own
# functions and for a module's (veth_xmit, veth.ko) where modules have BTF.
# func_addr FILE FN: the address the trace recorded for FN's first event.
func_addr() {
	"$PCAPNG_DUMP" "$1" | grep -m1 " name=$2 " | grep -o 'addr=0x[0-9a-f]*' | sed 's/addr=//'
}
for b in kprobe-multi kprobe fentry; do
	f=$dir/udp-$b.pcapng
	[ -e "$f" ] && [ -n "${PCAPNG_DUMP:-}" ] && [ -s "$dir/kallsyms.txt" ] || continue
	bad=""
	for fn in ip_rcv udp_rcv $modfn; do
		[ $fn = veth_xmit ] && f=$dir/tcp-$b.pcapng
		want=$(awk -v fn=$fn '$3 == fn { print "0x" $1; exit }' "$dir/kallsyms.txt")
		got=$(func_addr "$f" $fn)
		[ -n "$want" ] && [ "$want" = "$got" ] || bad="$bad $fn:kallsyms=$want,trace=$got"
	done
	if [ -z "$bad" ]; then
		echo "RESULT test=$suite-host-func-addr-$b status=PASS ip_rcv, udp_rcv${modfn:+ and $modfn [veth]} at their kallsyms addresses"
	else
		echo "RESULT test=$suite-host-func-addr-$b status=FAIL$bad"
	fi
done

# function_graph (fentry): per datagram, every function entered returned
# (but kfree_skb_reason, and 5.10's kfree_skb: entry only, they name
# their caller as the drop location), each return has a duration, returns
# are one level up from what they called, ip_rcv returned last at depth
# 0, the drop reason sits on the kfree_skb tracepoint inside
# kfree_skb_reason, and the values returned are right: ip_rcv and udp_rcv
# return 0 (NET_RX_SUCCESS; the datagram was taken), ip_rcv_core the skb
# (an address: negative as a signed value).
f=$dir/udp-fentry.pcapng
if [ -e "$f" ] && [ -n "${PCAPNG_DUMP:-}" ]; then
	"$PCAPNG_DUMP" "$f" >"$dir/udp-fentry.dump"
	verdict=$(awk -v want="reason=$reason" '
		/^  TRACE / { if (n) check(); n = 1; ent = 0; ret = 0; timed = 0; last = ""; reason = 0; badret = ""; next }
		/^    EVENT / {
			kind = $0; sub(/.* kind=/, "", kind); sub(/ .*/, "", kind)
			name = $0; sub(/.* name=/, "", name); sub(/ .*/, "", name)
			if (kind == "entry" && name != "kfree_skb_reason" && name != "kfree_skb") ent++
			if (kind == "return") { ret++; if ($0 ~ / duration=[0-9]+/) timed++ }
			if (kind == "return") {
				rv = $0; sub(/.* retval=/, "", rv); sub(/ .*/, "", rv)
				if (((name == "ip_rcv" || name == "udp_rcv") && rv != "0") ||
				    (name == "ip_rcv_core" && rv + 0 >= 0)) badret = badret " " name "=" rv
			}
			if (kind == "tracepoint" && name == "kfree_skb" && index($0, want)) reason = 1
			last = kind " " name; lastdepth = $0; sub(/.* depth=/, "", lastdepth); sub(/ .*/, "", lastdepth)
		}
		function check() {
			traces++
			if (ent == 0 || ent != ret || ret != timed || last != "return ip_rcv" || lastdepth != 0 || !reason || badret != "") {
				bad++; why = "entries=" ent " returns=" ret " timed=" timed " last=\"" last "\" depth=" lastdepth " reason=" reason " wrong_retvals=" badret
			} else { good = "entries=" ent " returns=" ret " all timed, ip_rcv returned last at depth 0, ip_rcv and udp_rcv returned 0, ip_rcv_core an address" }
		}
		END { if (n) check(); if (traces == 3 && !bad) print "PASS " good; else print "FAIL traces=" traces " " why }
	' "$dir/udp-fentry.dump")
	echo "RESULT test=$suite-host-graph-udp status=${verdict%% *} ${verdict#* }"
fi

# auto picks kprobe-multi where it works (6.12: FPROBE), else kprobe (6.1,
# 5.10).
want=kprobe-multi
grep -q '^backend kprobe-multi: works' "$dir/backends.txt" 2>/dev/null || want=kprobe
if grep -q "backend tracepoint+$want," "$dir/auto.err" 2>/dev/null; then
	echo "RESULT test=$suite-host-auto status=PASS picked tracepoint+$want"
else
	echo "RESULT test=$suite-host-auto status=FAIL $(grep -o 'backend [a-z+-]*' "$dir/auto.err" 2>/dev/null | head -1)"
fi

# The TCP handshake, per function backend: the SYN went out through
# ip_output, dev_queue_xmit and veth_xmit (where modules have BTF) and came
# in through ip_rcv and tcp_v4_rcv; the handshake packets have their own
# packet ids.
for b in kprobe-multi kprobe fentry; do
	f=$dir/tcp-$b.pcapng
	[ -e "$f" ] || continue
	syn=$(tshark -r "$f" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e frame.comment 2>/dev/null | head -1)
	ids=$(tshark -r "$f" -Y 'tcp.port == 8081' -T fields -e frame.packet_id 2>/dev/null | sort -u | grep -c .)
	case "$syn" in
	*ip_output*dev_queue_xmit*${modfn:+$modfn*}ip_rcv*tcp_v4_rcv*)
		if [ "$ids" -ge 3 ]; then
			echo "RESULT test=$suite-host-tcp-$b status=PASS packets=$ids syn=\"$syn\""
		else
			echo "RESULT test=$suite-host-tcp-$b status=FAIL packet_ids=$ids"
		fi ;;
	*) echo "RESULT test=$suite-host-tcp-$b status=FAIL syn=\"$syn\"" ;;
	esac
done

# TCP's transmit clones (guest/lineage.sh, each function backend): the
# clone carries the headers, so the line the client sent is a plain TCP
# packet in the file, not an exported PDU that repeats a parent's headers.
for f in "$dir"/lineage-tcp-*.pcapng; do
	[ -e "$f" ] || continue
	b=${f##*/lineage-tcp-}
	b=${b%.pcapng}
	n=$(tshark -r "$f" -Y 'tcp.dstport == 8082 && tcp.len > 0' -T fields -e frame.number 2>/dev/null | grep -c .)
	if [ "$n" -ge 1 ]; then
		echo "RESULT test=$suite-host-lineage-clone-$b status=PASS tcp_data_packets=$n"
	else
		echo "RESULT test=$suite-host-lineage-clone-$b status=FAIL no TCP data packet to 8082 in $f"
	fi
done

# GRO merges (guest/lineage.sh, 5.13+): in the file, the packets merged
# name the one they went into (lineage "merged"), which lists them
# (merged_id), as pcapng-dump reads them.
for f in "$dir"/lineage-gro-*.pcapng; do
	[ -e "$f" ] && [ -n "${PCAPNG_DUMP:-}" ] || continue
	b=${f##*/lineage-gro-}
	b=${b%.pcapng}
	merged=$("$PCAPNG_DUMP" "$f" 2>/dev/null | grep -c 'lineage="merged"')
	lists=$("$PCAPNG_DUMP" "$f" 2>/dev/null | grep -c 'merged_id=')
	if [ "$merged" -ge 1 ] && [ "$lists" -ge 1 ]; then
		echo "RESULT test=$suite-host-lineage-merged-$b status=PASS merged=$merged listing_events=$lists"
	else
		echo "RESULT test=$suite-host-lineage-merged-$b status=FAIL merged=$merged listing_events=$lists in $f"
	fi
done
