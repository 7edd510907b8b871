#!/bin/sh
# The raw_tp fallback, forced with IPFT_FORCE_RAW_TP=1: every tracepoint's
# link runs an untyped raw_tracepoint program (without it: a typed tracing
# program, tp_btf), and a UDP datagram to a closed port gets the same
# path, drop reason and drop location as through tp_btf.  The same for
# the default on 6.10+: a few raw_tp programs, each attached to many
# tracepoints with a cookie.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
command -v bpftool >/dev/null || die "bpftool not installed (tests/setup.sh)"
make_pair "ir$$"

# link_prog_ids PID: the id of the program behind each BPF link PID holds
# (from /proc/PID/fdinfo), one per line.
link_prog_ids() {
	for fd in /proc/$1/fdinfo/*; do
		grep -q '^link_type:' "$fd" 2>/dev/null && sed -n 's/^prog_id:[[:space:]]*//p' "$fd"
	done
}

# link_progs PID: the type of the program behind each link (bpftool).
link_progs() {
	link_prog_ids "$1" | while read -r id; do
		bpftool prog show id "$id" | sed -n '1s/^[0-9]*: \([a-z_]*\) .*/\1/p'
	done
}

# run NAME: trace three datagrams into $T/NAME.pcapng with -b tracepoint.
run() {
	name=$1
	f=$T/$name.pcapng
	start_ipft "$f" -w "$f" -b tracepoint --netns "/run/netns/$NS_A" 'udp port 9'
	link_progs $IPFT_PID | sort | uniq -c | sed 's/^ *//' >"$T/$name.links"
	link_prog_ids $IPFT_PID | sort -u | wc -l >"$T/$name.nprogs"
	cp "$T/ipft.stderr" "$T/$name.stderr"
	ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
	wait_drops 3 "$f"
	stop_ipft INT
	check "$name: ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
	"$DUMP" "$f" >"$T/$name.dump"
	n=$(sed -n 's/.* RUN_INFO .* attach_points=\([0-9]*\) .*/\1/p' "$T/$name.dump")
	echo "  $name: $n attach points, links: $(tr '\n' ' ' <"$T/$name.links")"
	# what the two runs must share: the paths, reasons and locations
	grep '^EPB' "$T/$name.dump" | sed 's/.* comment="\([^"]*\)".*/\1/' >"$T/$name.paths"
	grep -o 'name=kfree_skb free .*' "$T/$name.dump" | sed 's/location_addr=[^ ]* //' \
		>"$T/$name.drops"
	sed -n 's/.* RUN_INFO .*backend="\([a-z]*\)" attach_points=[0-9]* \(attach=.*\)/\1 \2/p' \
		"$T/$name.dump" >"$T/$name.attach"
}

# typed: a clone per tracepoint (IPFT_TP_PROGRAMS=clones; this kernel
# would share a program per template otherwise).
export IPFT_TP_PROGRAMS=clones
run typed
unset IPFT_TP_PROGRAMS
check "typed: each of the $n tracepoints' links runs a tp_btf (tracing) program" \
	[ "$(cat "$T/typed.links")" = "$n tracing" ]
check "typed: a program per tracepoint" [ "$(cat "$T/typed.nprogs")" -eq "$n" ]
check "typed: -v says nothing of raw_tp" sh -c "! grep -q 'raw_tp' '$T/typed.stderr'"

export IPFT_FORCE_RAW_TP=1
run raw
unset IPFT_FORCE_RAW_TP
check "raw: each of the $n tracepoints' links runs a raw_tracepoint program" \
	[ "$(cat "$T/raw.links")" = "$n raw_tracepoint" ]
check "raw: -v says so for each tracepoint" \
	[ "$(grep -c '^ipft: [a-z_0-9]*: IPFT_FORCE_RAW_TP=1, using raw_tp$' "$T/raw.stderr")" -eq "$n" ]
check "raw: the same backend and attach points" cmp "$T/typed.attach" "$T/raw.attach"
cat "$T/raw.paths" "$T/raw.drops"
check "raw: three datagrams, each path starting where A sends it and ending in kfree_skb (NO_SOCKET)" \
	[ "$(grep -c '^net_dev_queue > .*netif_receive_skb > .*kfree_skb (NO_SOCKET)$' "$T/raw.paths")" -eq 3 ]
check "raw: drop reason NO_SOCKET in the UDP receive path" \
	[ "$(grep -c '^name=kfree_skb free reason_code=[0-9]* reason=NO_SOCKET location=__udp4_lib_rcv+0x[0-9a-f]*$' "$T/raw.drops")" -eq 3 ]
check "raw: the same paths as through tp_btf" cmp "$T/typed.paths" "$T/raw.paths"
check "raw: the same drop reasons and locations as through tp_btf" cmp "$T/typed.drops" "$T/raw.drops"
check "raw: the datagram headers captured as through tp_btf" \
	[ "$(grep -c '^EPB .* caplen=60 origlen=60 ' "$T/raw.dump")" -eq 3 ]

# shared, the default where raw tracepoints take cookies (6.10+; this
# machine's kernel is newer: no skip): one raw_tp program per template,
# each tracepoint's link with its cookie.
run shared
check "shared: each of the $n tracepoints' links runs a raw_tracepoint program" \
	[ "$(cat "$T/shared.links")" = "$n raw_tracepoint" ]
check "shared: at most 7 programs (one per template) behind the $n links ($(cat "$T/shared.nprogs"))" \
	[ "$(cat "$T/shared.nprogs")" -le 7 ]
check "shared: the same backend and attach points" cmp "$T/typed.attach" "$T/shared.attach"
check "shared: the same paths as through tp_btf (the cookie names each tracepoint)" \
	cmp "$T/typed.paths" "$T/shared.paths"
check "shared: the same drop reasons and locations as through tp_btf" \
	cmp "$T/typed.drops" "$T/shared.drops"
check "shared: the datagram headers captured as through tp_btf" \
	[ "$(grep -c '^EPB .* caplen=60 origlen=60 ' "$T/shared.dump")" -eq 3 ]
finish
