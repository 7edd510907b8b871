# lib.sh - shared helpers for ipft's shell tests (sourced).
#
# Each test calls check/fail for what it asserts and ends with `finish`,
# which prints "N passed, N failed" and exits 0, 1 or 77 (skip).
# top_srcdir and top_builddir come from the test harness (tests/local.mk).

: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"
IPFT=$top_builddir/tracer/ipft
DUMP=$top_builddir/tests/pcapng/pcapng-dump
TSHARK=${TSHARK:-tshark}
CAPINFOS=${CAPINFOS:-capinfos}
t_passed=0
t_failed=0
t_cleanups=""

pass() { t_passed=$((t_passed + 1)); echo "ok: $*"; }
fail() { t_failed=$((t_failed + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	desc=$1; shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}
finish() {
	echo "$t_passed passed, $t_failed failed"
	[ "$t_failed" -eq 0 ]
	exit $?
}
# skip REASON: only for documented kernel-capability skips.
skip() { echo "SKIP: $*"; exit 77; }
die() { echo "ERROR: $*"; exit 99; }

# A private temporary directory, removed at exit along with cleanups.
T=$(mktemp -d "${TMPDIR:-/tmp}/ipft-test.XXXXXX")
chmod 755 "$T"
# Tests run under /bin/sh (SH_LOG_COMPILER): bash mishandles an EXIT trap
# function when a script exits from inside another function.
on_exit() {
	printf '%s\n' "$t_cleanups" | while IFS= read -r c; do
		[ -z "$c" ] || eval "$c" 2>/dev/null || true
	done
	# IPFT_TEST_KEEP=1: a failed test's files stay for a look.
	if [ "${IPFT_TEST_KEEP:-}" = 1 ] && [ "$t_failed" -gt 0 ]; then
		echo "kept: $T"
	else
		rm -rf "$T"
	fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM
# add_cleanup "COMMAND": run at exit, last added first.
add_cleanup() { t_cleanups="$1
$t_cleanups"; }

# tshark as root loads no personal plugins; tshark_plain is fine for
# reading files without the plugin.
tshark_plain() { "$TSHARK" -o gui.column.format:'"No.","%m"' "$@" 2>/dev/null; }

# ---- network namespaces ---------------------------------------------------

need_root() { [ "$(id -u)" = 0 ] || die "this test needs root (network namespaces, BPF)"; }

# make_pair NAME: namespaces NAME-a and NAME-b joined by a veth pair
# (NAME-va 10.R.0.1/24 in a, NAME-vb 10.R.0.2/24 in b), cleaned up at exit.
# Sets NS_A NS_B IF_A IF_B IP_A IP_B.
make_pair() {
	n=$1
	NS_A=$n-a NS_B=$n-b IF_A=${n}va IF_B=${n}vb
	r=$(( ($$ + $(date +%N | sed 's/^0*//;s/^$/0/')) % 200 + 20 ))
	IP_A=10.$r.0.1 IP_B=10.$r.0.2
	ip netns add "$NS_A" || die "ip netns add $NS_A"
	add_cleanup "ip netns del $NS_A"
	ip netns add "$NS_B" || die "ip netns add $NS_B"
	add_cleanup "ip netns del $NS_B"
	ip link add "$IF_A" netns "$NS_A" type veth peer "$IF_B" netns "$NS_B" || die "veth"
	ip -n "$NS_A" addr add "$IP_A/24" dev "$IF_A"
	ip -n "$NS_B" addr add "$IP_B/24" dev "$IF_B"
	for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
	ip -n "$NS_A" link set "$IF_A" up
	ip -n "$NS_B" link set "$IF_B" up
	# IPv6 DAD and router solicitations would add unrelated packets.  A
	# datagram to a closed port always gets its ICMP error, icmp_send in
	# its path: rate-limited by default, 6 of 20 sent at once did.
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0
	done
}

# pair_ipv6 ADDR_A ADDR_B: IPv6 on again in make_pair's namespaces, on the
# veth only, with fixed addresses (no DAD) and no link-local address.
pair_ipv6() {
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
		for i in "$IF_A" "$IF_B"; do
			ip netns exec "$ns" sysctl -qw net.ipv6.conf.$i.addr_gen_mode=1 2>/dev/null || true
		done
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0
	done
	ip -n "$NS_A" -6 addr add "$1/64" dev "$IF_A" nodad
	ip -n "$NS_B" -6 addr add "$2/64" dev "$IF_B" nodad
}

# pin_neighbours: make_pair's two ends know each other's MAC for good, so
# no ARP packet (which may start earlier than the test's own packets, and
# be written before them) joins the trace.
pin_neighbours() {
	ip -n "$NS_A" neigh replace "$IP_B" lladdr "$(link_mac "$NS_B" "$IF_B")" dev "$IF_A" nud permanent
	ip -n "$NS_B" neigh replace "$IP_A" lladdr "$(link_mac "$NS_A" "$IF_A")" dev "$IF_B" nud permanent
}
link_mac() { ip -n "$1" -o link show "$2" | sed 's/.* link\/ether \([0-9a-f:]*\) .*/\1/'; }

# wait_lines COUNT SECONDS FILE PATTERN: polls until FILE has COUNT lines
# matching PATTERN, or the time is up.
wait_lines() {
	n=$1 secs=$2 file=$3 pat=$4 i=0
	while c=$(grep -c -- "$pat" "$file" 2>/dev/null) || true; [ "${c:-0}" -lt "$n" ]; do
		i=$((i + 1))
		[ $i -gt $((secs * 10)) ] && return 1
		sleep 0.1
	done
}

# start_ipft OUTFILE ARGS...: runs ipft in the background until it has
# attached (it prints "tracing" with -v).  Sets IPFT_PID.
start_ipft() {
	out=$1; shift
	# Emptied here, not by the background redirection: that happens in
	# the child, maybe after the wait below has read an earlier run's
	# "tracing" line.
	: >"$T/ipft.stderr"
	"$IPFT" -v "$@" >"$T/ipft.stdout" 2>>"$T/ipft.stderr" &
	IPFT_PID=$! IPFT_ARGS="$*"
	add_cleanup "kill $IPFT_PID"
	i=0
	while ! grep -q 'tracing; Ctrl-C' "$T/ipft.stderr" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $((${IPFT_START_WAIT:-30} * 10)) ] || ! kill -0 $IPFT_PID 2>/dev/null; then
			cat "$T/ipft.stderr"
			die "ipft did not start"
		fi
		sleep 0.1
	done
}

# stop_ipft [SIGNAL]: stops ipft and waits; sets IPFT_RC.
stop_ipft() {
	kill -"${1:-INT}" $IPFT_PID 2>/dev/null
	wait_ipft
}

# check_clone_records WHAT: the last start_ipft loaded every clone with
# its BTF function records, so the verifier checked the global functions
# once (docs/design.md, "templates and clones"); -v counts them and says
# when the kernel refused them.
check_clone_records() {
	check "$1: clones loaded with their function records ($(sed -n \
		's/^ipft: \([0-9]* programs loaded.*\)/\1/p' "$T/ipft.stderr"))" \
		sh -c "grep -q ' programs loaded' '$T/ipft.stderr' &&
			! grep -q 'verified whole' '$T/ipft.stderr'"
}

wait_ipft() {
	i=0
	while kill -0 $IPFT_PID 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			# Say where it hung: the ipft arguments and its last words.
			echo "ipft $IPFT_ARGS still running after 30 s; its stderr ends:"
			tail -n 5 "$T/ipft.stderr" 2>/dev/null
			kill -9 $IPFT_PID
			die "ipft did not stop"
		fi
		sleep 0.1
	done
	# ipft's exit status is what the caller checks: never let set -e act on it.
	IPFT_RC=0
	wait $IPFT_PID || IPFT_RC=$?
}
