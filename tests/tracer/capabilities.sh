#!/bin/sh
# ipft as an unprivileged user with only CAP_BPF and CAP_PERFMON: it traces
# (the UDP drop with its reason), says once that kernel addresses are
# hidden from it (drop locations have no symbol, and are left out);
# without them it says what it needs.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
command -v setpriv >/dev/null || die "setpriv (util-linux) is missing"
make_pair "ic$$"
mkdir "$T/user" && chmod 0777 "$T/user"
cp "$IPFT" "$T/user/ipft" && chmod 0755 "$T/user/ipft"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

rc=0
as_nobody "$T/user/ipft" -w "$T/user/none.pcapng" --duration 0.2 2>"$T/none.err" || rc=$?
cat "$T/none.err"
check "no capabilities: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "no capabilities: one line naming what is needed" \
	sh -c "[ \$(wc -l <'$T/none.err') -eq 1 ] && grep -q 'CAP_BPF and CAP_PERFMON' '$T/none.err'"

f=$T/user/caps.pcapng
# setpriv itself in the background (not the function): $! is ipft.
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+bpf,+perfmon \
	--ambient-caps=+bpf,+perfmon \
	"$T/user/ipft" -v -w "$f" --netns "/run/netns/$NS_A" --duration 120 2>"$T/caps.err" &
pid=$!
add_cleanup "kill $pid"
# Sent once it traces (an ASan build under load starts in seconds, not
# the fixed 1.5 s this waited once), stopped once the drops are written.
wait_lines 1 "${IPFT_START_WAIT:-30}" "$T/caps.err" 'tracing; Ctrl-C' || die "ipft did not start"
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3 || die "netpeer failed"
sleep 1
kill -INT $pid
rc=0
wait $pid || rc=$?
cat "$T/caps.err"
check "CAP_BPF and CAP_PERFMON: exit 0 (rc $rc)" [ "$rc" -eq 0 ]
check "CAP_BPF and CAP_PERFMON: the drops are traced with their reason" \
	[ "$("$DUMP" "$f" | grep -c 'name=kfree_skb free reason_code=[0-9]* reason=NO_SOCKET')" -ge 3 ]
check "CAP_BPF and CAP_PERFMON: hidden kernel addresses are said, once" \
	[ "$(grep -c 'kernel addresses are hidden' "$T/caps.err")" -eq 1 ]
finish
