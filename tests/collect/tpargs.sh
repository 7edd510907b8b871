#!/bin/sh
# -x tpargs on real traffic: a 100 kB TCP transfer from namespace A to B.
# Every net_dev_xmit event carries the tracepoint's scalar arguments as
# the kernel names them, typed: rc (an int, 0: the driver took the skb)
# and skb_len; an ICMP error's icmp_send carries type and code.  Arguments
# that are pointers (net_dev_xmit's dev) or the skb are not copied; a
# tracepoint without scalar arguments (tcp_probe: sk, skb) has none.  In
# the file, in JSON and through the plugin (ipft.data.key/value).
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "ia$$"
f=$T/tpargs.pcapng

tcp_server 8080
start_ipft "$f" -w "$f" -o json -x tpargs --netns "/run/netns/$NS_A" "tcp port 8080 or udp port 9"
ip netns exec "$NS_A" "$NETPEER" tcp-send "$IP_B" 8080 100000 || die "tcp-send failed"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 1 || die "netpeer failed" # to a closed port: icmp_send
wait_lines 1 5 "$T/ipft.stdout" '"function":"icmp_send"' || true
stop_ipft INT
check "ipft exits 0 (rc $IPFT_RC)" [ "$IPFT_RC" -eq 0 ]

"$DUMP" "$f" >"$T/dump"
xmit=$(grep -c ' name=net_dev_xmit' "$T/dump" || true)
args=$(grep -c ' name=net_dev_xmit rc=0 skb_len=[1-9][0-9]*$' "$T/dump" || true)
check "file: every net_dev_xmit says rc=0 and its skb_len ($args of $xmit)" \
	[ "$xmit" -gt 10 ] && [ "$args" -eq "$xmit" ]
check "file: net_dev_xmit's skb_len is the segment's length (a full one: 1514 or more)" \
	grep -Eq ' name=net_dev_xmit rc=0 skb_len=(15[1-9][0-9]|1[6-9][0-9][0-9]|[2-9][0-9]{3,})$' "$T/dump"
check "file: icmp_send says type 3, code 3" grep -q ' name=icmp_send type=3 code=3' "$T/dump"
check "file: tcp_probe has no scalar argument, so nothing" \
	sh -c "grep -q ' name=tcp_probe' '$T/dump' && ! grep -q ' name=tcp_probe .*=' '$T/dump'"
check "json: typed, as numbers" grep -q '"function":"net_dev_xmit",.*"rc":0,"skb_len":[0-9]*,' "$T/ipft.stdout"

if [ -f "${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}" ]; then
	. "$top_srcdir/tests/plugin/plugin-lib.sh"
	chmod a+r "$f"
	n=$(tsp -r "$f" -Y 'ipft.data.key == "rc" && ipft.data.value == "0" && tcp' | grep -c . || true)
	check "plugin: as ipft.data.key/value" [ "$n" -gt 10 ]
fi
finish
