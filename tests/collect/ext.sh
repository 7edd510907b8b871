#!/bin/sh
# -e on real traffic: samples/extensions/gso.bpf.c, compiled here as a
# user compiles it (clang -target bpf -g, the header from include/), loaded
# with -e during a 200 kB TCP transfer from namespace A to B over veth
# (TSO on: A's stack hands the device super-packets of several segments).
# Its four members are key/values on events, written where they changed
# (all four on each packet's first event): in the file (pcapng-dump), in
# JSON (numbers as numbers, the flags by their names), through the plugin
# as ipft.data.key/value (not as the meta collector's ipft.len, ...), and
# in aggregate in ipftrace2's brackets.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ie$$"
f=$T/ext.pcapng
ext=$T/gso.bpf.o
"${CLANG:-clang}" -target bpf -O2 -g -I"$top_srcdir/include" \
	-c "$top_srcdir/samples/extensions/gso.bpf.c" -o "$ext" || die "clang failed"

# The server starts once ipft traces: it gives up after 60 s, and a
# sanitizer build of ipft can take that long to link the extension in.
start_ipft "$f" -w "$f" -o json -e "$ext" --netns "/run/netns/$NS_A" "tcp port 8080"
tcp_server 8080
ip netns exec "$NS_A" "$NETPEER" tcp-send "$IP_B" 8080 200000 || die "tcp-send failed"
sleep 1
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]
check_clone_records "-e gso.bpf.o (its module() linked in)"
cp "$T/ipft.stdout" "$T/json"

"$DUMP" "$f" >"$T/dump"
packets=$(grep -c '^EPB' "$T/dump" || true)
firsts=$(grep -Ec ' first len=[0-9]+ gso_size=[0-9]+ gso_segs=[0-9]+ gso_type="[a-z0-9_|x]+"$' "$T/dump" || true)
check "file: each packet's first event has the four keys ($firsts of $packets)" \
	[ "$packets" -gt 10 ] && [ "$firsts" -eq "$packets" ]
check "file: a super-packet of the transfer: gso_size 1448, tcpv4" \
	grep -Eq ' len=[0-9]{4,} gso_size=1448 gso_segs=[2-9][0-9]* gso_type="tcpv4' "$T/dump"
events=$(grep -c ' EVENT ' "$T/dump" || true)
said=$(grep -c ' gso_type=' "$T/dump" || true)
check "file: written where they changed, not on every event ($said of $events)" \
	[ "$said" -lt "$events" ]

check "json: the four keys, typed" \
	grep -Eq '"len":[0-9]+,"gso_size":1448,"gso_segs":[0-9]+,"gso_type":"tcpv4' "$T/json"

if [ -f "${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}" ]; then
	. "$top_srcdir/tests/plugin/plugin-lib.sh"
	chmod a+r "$f"
	n=$(tsp -r "$f" -Y 'ipft.data.key == "gso_type" && ipft.data.value contains "tcpv4"' | grep -c . || true)
	check "plugin: filterable as ipft.data.key/value ($n packets)" [ "$n" -gt 0 ]
	for k in len gso_size gso_segs; do
		n=$(tsp -r "$f" -Y "ipft.data.key == \"$k\"" | grep -c . || true)
		check "plugin: $k as ipft.data.key ($n packets)" [ "$n" -eq "$packets" ]
	done
	check "plugin: an extension's keys are not the meta collector's fields" \
		[ "$(tsp -r "$f" -Y 'ipft.len || ipft.gso_type' | grep -c .)" -eq 0 ]
fi

# Aggregate: ipftrace2's brackets after the event, a datagram to a closed port.
start_ipft "$T/agg" -o aggregate -e "$ext" --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"
wait_lines 1 5 "$T/ipft.stdout" 'kfree_skb' || true
stop_ipft INT
cat "$T/ipft.stdout"
check "aggregate: the first event's brackets" \
	grep -Eq 'net_dev_queue +\( len: 60 gso_size: 0 gso_segs: [01] gso_type: none \)$' "$T/ipft.stdout"
check "aggregate: len again where veth pulled the Ethernet header" \
	grep -Eq '\( len: 46 \)$' "$T/ipft.stdout"

# With -x meta, which writes len and gso_* too: the extension's are ext.*.
start_ipft "$T/both" -o json -x meta -e "$ext" --netns "/run/netns/$NS_A" "udp port 9"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed"
wait_lines 1 5 "$T/ipft.stdout" 'kfree_skb' || true
stop_ipft INT
check "json with -x meta: meta's len, the extension's ext.len, each once" \
	grep -Eq '"function":"net_dev_queue".*"len":60,.*"ext.len":60,"ext.gso_size":0,"ext.gso_segs":[01],"ext.gso_type":"none"' "$T/ipft.stdout"
finish
