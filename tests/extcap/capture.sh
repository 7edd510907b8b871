#!/bin/sh
# tshark capturing through ipft-extcap as Wireshark does, as an
# unprivileged user: with a copy of ipft given CAP_BPF and CAP_PERFMON by
# install-capabilities.sh, UDP datagrams to a closed port between two
# namespaces are traced and read back with the plugin (paths, drop
# reasons, the statistics block); the capture filter reaches ipft; the
# counters reach the log; tshark's own stop leaves a valid file and no
# error; without the capabilities the capture fails with one line.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
. "$top_srcdir/tests/extcap/extcap-lib.sh"
need_root
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF (CONFIG_DEBUG_INFO_BTF)"
[ -x "$IPFT" ] && [ -x "$NETPEER" ] || die "ipft or netpeer not built"
command -v setcap >/dev/null || die "setcap is missing (libcap2-bin)"
make_pair "ixc$$"
ipft_with_caps "$T/bin"
mkdir -m 0777 "$T/out"

# capture NAME TSHARK-ARGS...: tshark -i ipft in the background, its log
# in $T/out/NAME.log; returns once ipft traces.  Sets TS_PID.
capture() {
	name=$1; shift
	tsx -i ipft -o "extcap.ipft.ipftpath:$T/bin/ipft" -o "extcap.ipft.netns:/run/netns/$NS_A" \
		-o "extcap.ipft.logfile:$T/out/$name.log" -w "$T/out/$name.pcapng" "$@" \
		>"$T/out/$name.out" 2>"$T/out/$name.err" &
	TS_PID=$!
	add_cleanup "kill $TS_PID"
	i=0
	until grep -q 'ipft: tracing' "$T/out/$name.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 150 ] || ! kill -0 $TS_PID 2>/dev/null; then
			cat "$T/out/$name.err" "$T/out/$name.log" 2>/dev/null
			die "the capture $name did not start"
		fi
		sleep 0.1
	done
}
# finished PID SECONDS: waits for tshark to end by itself.
finished() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -le $(($2 * 10)) ] || return 1
		sleep 0.1
	done
}

# ---- ipft ends the capture itself (--duration): the whole stream --------
capture full -o extcap.ipft.duration:4 -f 'udp port 9' -a duration:60
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3
check "ipft's --duration ends the capture" finished $TS_PID 20
cat "$T/out/full.err"
check "tshark: no error" sh -c "! grep -qi error '$T/out/full.err'"
f=$T/out/full.pcapng
tsp -r "$f" -Y 'udp.dstport == 9 && ipft.drop_reason == "NO_SOCKET"' -T fields -e ipft.path \
	>"$T/drops"
cat "$T/drops"
check "the 3 datagrams, dropped for NO_SOCKET" [ "$(grep -c . "$T/drops")" -eq 3 ]
check "each path went through netif_receive_skb to kfree_skb" \
	[ "$(grep -c 'netif_receive_skb.*kfree_skb' "$T/drops")" -eq 3 ]
check "the capture filter reached ipft: only UDP to port 9 was traced" \
	[ "$(tsp -r "$f" -Y '!(udp.dstport == 9) && !ipft.block.key' | grep -c .)" -eq 0 ]
tsp -r "$f" -Y ipft.block.key >"$T/stats"
cat "$T/stats"
check "the statistics block closes the stream (packets_written=3)" \
	grep -q 'ipft statistics: .*packets_written=3' "$T/stats"
check "the file names ipft and its command line, as ipft-extcap ran it" \
	sh -c "$CAPINFOS '$f' | grep -q 'ipft trace: $T/bin/ipft -v -w - .*udp port 9'"
check "the counters reached the log" grep -q 'ipft: so far [0-9]* packets written' "$T/out/full.log"
check "the log names the hidden kernel addresses (only two capabilities)" \
	grep -q 'kernel addresses are hidden' "$T/out/full.log"

# ---- tshark ends it (-a duration): every packet so far, no error --------
capture cut -a duration:4
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 2
check "tshark's -a duration ends the capture" finished $TS_PID 20
cat "$T/out/cut.err"
check "tshark: no error when it stops the capture itself" \
	sh -c "! grep -qi error '$T/out/cut.err'"
check "the file is whole, with the 2 datagrams and their paths" sh -c \
	"[ \$($AS_USER env HOME=$T/home $TSHARK -r '$T/out/cut.pcapng' -Y 'udp.dstport == 9 && ipft.drop_reason' 2>/dev/null | wc -l) -eq 2 ]"
check "ipft-extcap passed the stop on and ipft ended well" \
	grep -q 'ipft-extcap: ipft ended with status [02]$' "$T/out/cut.log"

# ---- no capabilities: one line, the capture fails --------------------------
cp "$IPFT" "$T/bin/ipft-plain"
chmod 0755 "$T/bin/ipft-plain"
rc=0
tsx -i ipft -o "extcap.ipft.ipftpath:$T/bin/ipft-plain" -a duration:20 -w "$T/out/none.pcapng" \
	>"$T/out/none.out" 2>"$T/out/none.err" || rc=$?
cat "$T/out/none.err"
check "without CAP_BPF and CAP_PERFMON: one line says what ipft needs and how to give it" \
	grep -q "ipft ($T/bin/ipft-plain) may not trace: it needs root, or CAP_BPF and CAP_PERFMON; as root, 'make install-capabilities'" \
		"$T/out/none.err"

# ---- a log file that cannot be written: one line, before ipft runs --------
rc=0
tsx -i ipft -o "extcap.ipft.ipftpath:$T/bin/ipft" -o extcap.ipft.logfile:/nonexistent/dir/log \
	-a duration:20 -w "$T/out/nolog.pcapng" >/dev/null 2>"$T/out/nolog.err" || rc=$?
check "a log file that cannot be written: one line" \
	grep -q 'Error by extcap pipe: cannot write the log file /nonexistent/dir/log: No such file or directory' \
		"$T/out/nolog.err"
finish
