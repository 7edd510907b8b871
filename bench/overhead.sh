#!/bin/sh
# overhead.sh - what ipft costs a packet flow, measured beside its peers and
# beside a previous build, in one run.
#
# Two network namespaces joined by a veth pair; a UDP flood (64-byte
# datagrams, sendmmsg) from one to a counting receiver in the other, the
# sender pinned to CPU 0 and the receiver to CPU 1 (less scheduler noise;
# the tracers run where they can).  The receiver's rate is measured with:
#   off       no tracing, at the start and at the end of every round; the
#             round's ratios are to the mean of the two
#   floor     a BPF program that does nothing, attached to the same
#             tracepoints ipft attaches (bench/noop-attach): the kernel's
#             own cost of running any program there, which no tracer
#             attached at those points can go below
#   floor_each  the same with one typed (tp_btf) empty program per
#             tracepoint (noop-attach -p), as ipft loads a clone per
#             tracepoint: the floor of a tracer built that way
#   tcpdump   tcpdump -w -s 256 on the receiving veth, to a file on tmpfs
#   bpftrace  bpftrace counting hits of the same tracepoints (perf-event
#             tracepoints, one per-CPU counter)
#   traced    ipft tracing every packet (-w FILE on tmpfs, all attach points)
#   filtered  ipft with a mark filter nothing matches (-m 0xdead)
#   pcap      ipft with a pcap-filter expression nothing in the flood
#             matches ('tcp port 443 and host 10.1.2.3'): every first sight
#             copies the headers and runs the translated expression
#   trigger   ipft as a flight recorder with a trigger nothing in the flood
#             meets (--trigger reason=UDP_CSUM: the receiver's socket drops
#             datagrams, but never for a bad checksum): every packet is
#             followed in the kernel as when traced, none leaves it
# With IPFT_BENCH_BASE=REV the four ipft configurations also run with the
# ipft of git revision REV (built once into $IPFT_BENCH_CACHE/<commit>,
# default /var/cache/ipft/bench, and reused), each right after the same
# configuration of this build.  REV may also be the path of an ipft binary.
#
# Each round runs every configuration once, back to back (so a busy machine
# slows all alike), in reverse order every second round (so a drift within
# the round does not favour one side); ROUNDS rounds (default 5) give the
# median and the range of every ratio.  For ipft it also reports events
# lost, packets not followed, packets written and the bytes of a packet
# written (in the ring buffer and in the file) per round, the peak
# resident set (ru_maxrss of the process, bench/rusage) and the kernel
# memory of its BPF maps (memlock in /proc/PID/fdinfo, read while it runs).
# The summary is a Markdown table (stdout); per-round lines go to stderr.
# The load average is printed: other work on the machine makes the numbers
# noisy.
#
#   sh bench/overhead.sh [BUILD_DIR]      (root; or: make bench)
#   SECONDS_PER_RUN=3 ROUNDS=5 IPFT_BENCH_BASE=HEAD~1 sh bench/overhead.sh build
set -eu

build=${1:-${top_builddir:-$(pwd)}}
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/veth-pair.sh
. "$top/bench/veth-pair.sh"
IPFT=$build/tracer/ipft
FLOOD=$build/bench/udp-flood
NOOP=$build/bench/noop-attach
RUSAGE=$build/bench/rusage
secs=${SECONDS_PER_RUN:-3}
rounds=${ROUNDS:-5}
base=${IPFT_BENCH_BASE:-}
cache=${IPFT_BENCH_CACHE:-/var/cache/ipft/bench}
[ "$(id -u)" = 0 ] || { echo "overhead: needs root (namespaces, BPF)" >&2; exit 1; }
for x in "$IPFT" "$FLOOD" "$NOOP" "$RUSAGE"; do
	[ -x "$x" ] || { echo "overhead: $x not built (make in $build)" >&2; exit 1; }
done

# build_base REV: the path of REV's ipft, built once into $cache/<commit>
# from `git archive` (no checkout or worktree in the source tree, where
# others may be working).  Its build log stays beside it.
build_base() {
	if [ -f "$1" ] && [ -x "$1" ]; then
		echo "$1"
		return
	fi
	sha=$(git -C "$top" rev-parse --verify -q "$1^{commit}") ||
		{ echo "overhead: IPFT_BENCH_BASE=$1 is neither a commit of $top nor an ipft binary" >&2; exit 1; }
	d=$cache/$sha
	if [ ! -f "$d/built" ] || [ ! -x "$d/build/tracer/ipft" ]; then
		echo "overhead: building $1 ($sha) in $d (once; reused by later runs)" >&2
		rm -rf "$d"
		mkdir -p "$d/src" "$d/build"
		git -C "$top" archive "$sha" | tar -x -C "$d/src"
		if ! (cd "$d/src" && autoreconf -fi && cd "$d/build" &&
			"$d/src/configure" -q --prefix=/usr/local &&
			{ { make bpf/ipft.skel.h && make -j"$(nproc)" tracer/ipft; } ||
				make -j"$(nproc)"; }) >"$d/build.log" 2>&1; then
			tail -20 "$d/build.log" >&2
			echo "overhead: building $sha failed (log: $d/build.log)" >&2
			exit 1
		fi
		touch "$d/built"
	fi
	echo "$d/build/tracer/ipft"
}

label_this="this build"
if git -C "$top" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	label_this="this build (HEAD $(git -C "$top" rev-parse --short HEAD)"
	git -C "$top" diff --quiet HEAD -- 2>/dev/null || label_this="$label_this + changes"
	label_this="$label_this)"
fi
variants=this
# shellcheck disable=SC2034 # read by run_config as ipft_$variant
ipft_this=$IPFT
if [ -n "$base" ]; then
	ipft_base=$(build_base "$base")
	if [ "$ipft_base" = "$base" ]; then
		label_base="base $base"
	else
		label_base="base $(git -C "$top" rev-parse --short "$base^{commit}")"
		case $(git -C "$top" rev-parse "$base^{commit}") in
		"$base"*) ;;
		*) label_base="$label_base ($base)" ;;
		esac
	fi
	variants="this base"
fi

n=ipftb$$
# Trace and capture files go to tmpfs: neither tracer waits for a disk.
tmp=$(mktemp -d /dev/shm/ipft-bench.XXXXXX 2>/dev/null || mktemp -d)
running="" mounted_tracefs="" mounted_debugfs=""
cleanup() {
	for p in $running ${noop:-}; do kill "$p" 2>/dev/null || true; done
	pair_down "$n"
	[ -z "$mounted_tracefs" ] || umount "$mounted_tracefs" 2>/dev/null || true
	[ -z "$mounted_debugfs" ] || umount "$mounted_debugfs" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load=$(cut -d' ' -f1-3 /proc/loadavg)
pair_up "$n" 10.250.0

# measure: one flood; prints the receiver's datagrams per second.
measure() {
	flood_start "$FLOOD" "$n" 10.250.0.2 "$secs" "$tmp/recv"
	wait $recv $send
	sed -n '2s/.* //p' "$tmp/recv"
}

# stop PID: SIGINT, and wait for it to finish.
stop() {
	kill -INT "$1" 2>/dev/null || true
	wait "$1" || true
	running=$(echo "$running" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# map_memlock PID: "BYTES MAPS", the kernel memory of the BPF maps PID
# holds open, as each map's fdinfo reports it (memlock), each map once.
map_memlock() {
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf-map ] || continue
		cat "/proc/$1/fdinfo/${f##*/}" 2>/dev/null || true
	done | awk '$1 == "memlock:" { m = $2 }
		$1 == "map_id:" && !seen[$2]++ { sum += m; maps++ }
		END { printf "%d %d\n", sum, maps }'
}

# with_ipft KEY IPFT ARGS...: measure into $rd/KEY while IPFT runs with
# ARGS; its counters into $rd/KEY.lost, .unf, .written, .rss, .memlock,
# and its bytes per packet written into .rbytes (ring buffer, ipft's own
# count) and .fbytes (the file).
with_ipft() {
	key=$1 bin=$2
	shift 2
	"$RUSAGE" "$tmp/rusage" "$bin" -v "$@" >/dev/null 2>"$tmp/ipft.err" &
	p=$!
	running="$running $p"
	if ! wait_for "$tmp/ipft.err" 'tracing; Ctrl-C' $p "ipft ($bin)"; then
		cat "$tmp/ipft.err" >&2
		exit 1
	fi
	measure >"$rd/$key"
	map_memlock "$(sed -n 's/^pid //p' "$tmp/rusage")" >"$rd/$key.memlock"
	stop $p
	fsize=$(stat -c %s "$tmp"/*.pcapng 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
	rm -f "$tmp"/*.pcapng
	grep -E 'lost|not followed|packets written' "$tmp/ipft.err" | sed "s/^/    $key: /" >&2 || true
	v=$(sed -n 's/^ipft: \([0-9]*\) events lost.*/\1/p' "$tmp/ipft.err" | tail -1)
	echo "${v:-0}" >"$rd/$key.lost"
	# Packets the tracking map had no room for: traced by nobody.
	v=$(sed -n 's/^ipft: \([0-9]*\) packets not followed.*/\1/p' "$tmp/ipft.err" | tail -1)
	echo "${v:-0}" >"$rd/$key.unf"
	v=$(sed -n 's/^ipft: \([0-9]*\) packets written.*/\1/p' "$tmp/ipft.err" | tail -1)
	echo "${v:-0}" >"$rd/$key.written"
	[ "${v:-0}" -eq 0 ] || echo $((fsize / v)) >"$rd/$key.fbytes"
	sed -n 's/^ipft: [0-9]* bytes from the ring buffer, \([0-9]*\) per packet written$/\1/p' \
		"$tmp/ipft.err" >"$rd/$key.rbytes"
	sed -n 's/^maxrss_kib //p' "$tmp/rusage" >"$rd/$key.rss"
}

# with_noop: measure while empty programs sit on ipft's tracepoints.
tracepoints=$(ipft_tracepoints "$IPFT")
ntp=$(echo "$tracepoints" | wc -w)
# with_noop KEY [-p]: KEY is floor or floor_each (-p).
with_noop() {
	# shellcheck disable=SC2086 # one argument per tracepoint
	noop_start "$NOOP" "$tmp/noop.out" ${2:-} $tracepoints
	p=$noop
	running="$running $p"
	a=$(sed -n 's/^attached //p' "$tmp/noop.out")
	[ "$a" = "$ntp" ] || echo "overhead: noop-attach attached $a of $ntp tracepoints" >&2
	measure >"$rd/$1"
	kill "$p"
	wait "$p" || true
	running=$(echo "$running" | tr ' ' '\n' | grep -vx "$p" | tr '\n' ' ')
}

# Peers: each one either runs in every round or, when it cannot, says why
# once and is left out (no_tcpdump, no_bpftrace hold the reason).
no_tcpdump="" no_bpftrace=""
command -v tcpdump >/dev/null || no_tcpdump="tcpdump is not installed (sh tests/setup.sh installs it)"
with_tcpdump() {
	# -Z root: tcpdump would drop to its own user before opening the file.
	ip netns exec "$n-b" tcpdump -n -i "${n}b" -s 256 -Z root -w "$tmp/tcpdump.pcap" \
		>/dev/null 2>"$tmp/tcpdump.err" &
	p=$!
	running="$running $p"
	if ! wait_for "$tmp/tcpdump.err" 'listening on' $p tcpdump; then
		no_tcpdump="tcpdump did not start: $(grep -v '^$' "$tmp/tcpdump.err" | head -1)"
		stop $p
		return
	fi
	measure >"$rd/tcpdump"
	stop $p
	rm -f "$tmp/tcpdump.pcap"
	v=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$tmp/tcpdump.err")
	echo "${v:-0}" >"$rd/tcpdump.dropped"
	v=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$tmp/tcpdump.err")
	echo "${v:-0}" >"$rd/tcpdump.captured"
}

# bpftrace names a tracepoint with its category (skb:kfree_skb): tracefs
# says which; it is mounted for the run when it is not.  bpftrace 0.17
# (Debian 12) finds tracepoints only through debugfs (its tracing
# folder): "tracepoint not found" without it, so it is mounted too.
tracefs=/sys/kernel/tracing
bt_prog="" bt_missing=""
if ! command -v bpftrace >/dev/null; then
	no_bpftrace="bpftrace is not installed (sh tests/setup.sh installs it)"
else
	if [ ! -r "$tracefs/available_events" ] && mount -t tracefs tracefs "$tracefs" 2>/dev/null; then
		mounted_tracefs=$tracefs
	fi
	if [ ! -d /sys/kernel/debug/tracing/events ] &&
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null; then
		mounted_debugfs=/sys/kernel/debug
	fi
	if [ ! -r "$tracefs/available_events" ]; then
		no_bpftrace="no tracefs at $tracefs: bpftrace cannot name the tracepoints"
	else
		probes=""
		for t in $tracepoints; do
			c=$(awk -F: -v t="$t" '$2 == t { print $1; exit }' "$tracefs/available_events")
			if [ -n "$c" ]; then
				probes="${probes:+$probes,}tracepoint:$c:$t"
			else
				bt_missing="$bt_missing $t"
			fi
		done
		bt_n=$(echo "$probes" | tr ',' '\n' | grep -c . || true)
		bt_prog="BEGIN { printf(\"ready\\n\"); } $probes { @events = count(); }"
		[ "$bt_n" -gt 0 ] || no_bpftrace="none of ipft's tracepoints is in $tracefs/available_events"
	fi
fi
perf_events() { # perf_events PID: how many perf events PID holds open
	for f in /proc/"$1"/fd/*; do readlink "$f" 2>/dev/null; done | grep -c perf_event || true
}
with_bpftrace() {
	bpftrace -e "$bt_prog" >"$tmp/bt.out" 2>"$tmp/bt.err" &
	p=$!
	running="$running $p"
	# BEGIN runs once the probes are attached; a perf event each, to be sure.
	ok=1
	wait_for "$tmp/bt.out" '^ready' $p bpftrace || ok=""
	i=0
	while [ -n "$ok" ] && [ "$(perf_events $p)" -lt "$bt_n" ]; do
		i=$((i + 1)); [ $i -lt 200 ] || ok=""
		sleep 0.05
	done
	if [ -z "$ok" ]; then
		# The memlock rlimit warning is harmless (memory is charged to the cgroup).
		no_bpftrace="bpftrace could not attach on this kernel: $(grep -v 'RLIMIT_MEMLOCK' "$tmp/bt.err" | grep . | head -2 | tr '\n' ' ')"
		stop $p
		return
	fi
	measure >"$rd/bpftrace"
	stop $p
	v=$(sed -n 's/^@events: //p' "$tmp/bt.out")
	echo "${v:-0}" >"$rd/bpftrace.events"
}

# run_config KEY: one configuration of the round.
run_config() {
	case $1 in
	floor) with_noop floor ;;
	floor_each) with_noop floor_each -p ;;
	tcpdump) [ -n "$no_tcpdump" ] || with_tcpdump ;;
	bpftrace) [ -n "$no_bpftrace" ] || with_bpftrace ;;
	*.this | *.base)
		eval "bin=\$ipft_${1#*.}"
		case $1 in
		traced.*) with_ipft "$1" "$bin" -w "$tmp/trace.pcapng" ;;
		filtered.*) with_ipft "$1" "$bin" -w "$tmp/none.pcapng" -m 0xdead ;;
		pcap.*) with_ipft "$1" "$bin" -w "$tmp/pcap.pcapng" 'tcp port 443 and host 10.1.2.3' ;;
		trigger.*) with_ipft "$1" "$bin" -w "$tmp/trigger.pcapng" --trigger reason=UDP_CSUM ;;
		esac ;;
	esac
}

# Numbers: ratio A B; stats prints "median min max" of the words on stdin
# (the median of an even count is the mean of the two middle ones).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b }'; }
stats() {
	tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 }
		END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
}
rd() { cat "$tmp/r$1/$2" 2>/dev/null || true; }
# each KEY: the value of KEY in every round, space-separated.
each() { for r in $(seq "$rounds"); do rd "$r" "$1"; echo; done | tr '\n' ' '; }
# ratios NUM DEN: NUM / DEN in every round both exist (DEN "off": the mean
# of the round's two untraced runs).
ratios() {
	for r in $(seq "$rounds"); do
		a=$(rd "$r" "$1")
		if [ "$2" = off ]; then
			b=$(awk -v x="$(rd "$r" off1)" -v y="$(rd "$r" off2)" 'BEGIN { print (x + y) / 2 }')
		else
			b=$(rd "$r" "$2")
		fi
		[ -z "$a" ] || [ -z "$b" ] || { ratio "$a" "$b"; echo; }
	done | tr '\n' ' '
}
# fmt KIND: "median (min–max)" from stats on stdin; KIND ratio, int, mib.
fmt() {
	read -r med lo hi || true
	[ -n "${med:-}" ] || { echo "—"; return; }
	awk -v m="$med" -v l="$lo" -v h="$hi" -v k="$1" 'BEGIN {
		f = k == "ratio" ? "%.3f" : k == "mib" ? "%.1f" : "%d"
		d = k == "mib" ? 1024 : 1
		s = sprintf(f, m / d)
		if (l != h) s = s sprintf(" (" f "–" f ")", l / d, h / d)
		print s (k == "mib" ? " MiB" : "")
	}'
}

# A base build may predate --trigger: then only this build runs it.
trigger_variants=""
for v in $variants; do
	eval "b=\$ipft_$v"
	! "$b" --help 2>/dev/null | grep -q -- '--trigger' || trigger_variants="$trigger_variants $v"
done
seq_fwd="floor floor_each tcpdump bpftrace"
for c in traced filtered pcap trigger; do
	vs=$variants
	[ "$c" != trigger ] || vs=$trigger_variants
	for v in $vs; do seq_fwd="$seq_fwd $c.$v"; done
done
seq_rev=""
for k in $seq_fwd; do seq_rev="$k $seq_rev"; done

measure >/dev/null  # warm up (neighbour resolution, caches)
echo "noop-attach and bpftrace: $ntp tracepoints; ${secs}s per configuration, $rounds rounds" >&2
[ -z "$bt_missing" ] || echo "bpftrace: not in tracefs, left out:$bt_missing" >&2
for r in $(seq "$rounds"); do
	rd=$tmp/r$r
	mkdir -p "$rd"
	if [ $((r % 2)) = 1 ]; then order=$seq_fwd; else order=$seq_rev; fi
	measure >"$rd/off1"
	for k in $order; do run_config "$k"; done
	measure >"$rd/off2"
	off=$(awk -v x="$(cat "$rd/off1")" -v y="$(cat "$rd/off2")" 'BEGIN { printf "%d", (x + y) / 2 }')
	line="round $r: off $(cat "$rd/off1")/s and $(cat "$rd/off2")/s, floor $(ratio "$(cat "$rd/floor")" "$off")"
	line="$line (one program per tracepoint $(ratio "$(cat "$rd/floor_each")" "$off"))"
	[ ! -f "$rd/tcpdump" ] || line="$line, tcpdump $(ratio "$(cat "$rd/tcpdump")" "$off") ($(cat "$rd/tcpdump.dropped") dropped)"
	[ ! -f "$rd/bpftrace" ] || line="$line, bpftrace $(ratio "$(cat "$rd/bpftrace")" "$off") ($(cat "$rd/bpftrace.events") events)"
	for v in $variants; do
		line="$line; $v: traced $(ratio "$(cat "$rd/traced.$v")" "$off") ($(cat "$rd/traced.$v.lost") lost,"
		line="$line $(cat "$rd/traced.$v.unf") not followed, $(cat "$rd/traced.$v.written") written,"
		line="$line $(($(cat "$rd/traced.$v.rss") / 1024)) MiB peak RSS), filtered $(ratio "$(cat "$rd/filtered.$v")" "$off"),"
		line="$line pcap $(ratio "$(cat "$rd/pcap.$v")" "$off")"
		[ ! -f "$rd/trigger.$v" ] || line="$line, trigger $(ratio "$(cat "$rd/trigger.$v")" "$off") ($(cat "$rd/trigger.$v.written") written)"
	done
	echo "$line" >&2
done

# The summary: a Markdown table to paste into docs/performance.md.
# row TITLE CELL...: one table row.
row() {
	s="|"
	for c; do s="$s $c |"; done
	echo "$s"
}
echo
echo "UDP 64-byte datagrams over veth, ${secs} s per configuration, $rounds rounds;"
echo "median (min–max over the rounds) of each ratio to the round's untraced rate."
echo "Load average before: $load; after: $(cut -d' ' -f1-3 /proc/loadavg);" \
	"kernel $(uname -r), $(nproc) CPUs."
echo "Command: ROUNDS=$rounds SECONDS_PER_RUN=$secs${base:+ IPFT_BENCH_BASE=$base} sh bench/overhead.sh"
[ -z "$no_tcpdump" ] || echo "tcpdump left out: $no_tcpdump"
[ -z "$no_bpftrace" ] || echo "bpftrace left out: $no_bpftrace"
echo
if [ -n "$base" ]; then
	row "configuration" "$label_this" "$label_base" "this ÷ base, same round"
	row --- --- --- ---
else
	row "configuration" "$label_this"
	row --- ---
fi
# A shared row (untraced, floor, peers): one cell, "same runs" for the base.
shared() { if [ -n "$base" ]; then row "$1" "$2" "same runs" ""; else row "$1" "$2"; fi; }
offs=$(for r in $(seq "$rounds"); do awk -v x="$(rd "$r" off1)" -v y="$(rd "$r" off2)" 'BEGIN { printf "%d ", (x + y) / 2 }'; done)
shared "untraced, datagrams/s" "$(echo "$offs" | stats | fmt int)"
# How much the machine moved under the round: the noise every ratio has.
shared "— untraced, end of the round ÷ its start" "$(ratios off2 off1 | stats | fmt ratio)"
shared "empty BPF programs on ipft's $ntp tracepoints (the floor)" "$(ratios floor off | stats | fmt ratio)"
shared "— one typed empty program per tracepoint, as ipft loads its clones" "$(ratios floor_each off | stats | fmt ratio)"
if [ -z "$no_tcpdump" ]; then
	shared "tcpdump -w -s 256 on the receiving veth" "$(ratios tcpdump off | stats | fmt ratio)"
	shared "— packets tcpdump's kernel buffer dropped per round" "$(each tcpdump.dropped | stats | fmt int)"
else
	shared "tcpdump -w -s 256 on the receiving veth" "not measured (see above)"
fi
if [ -z "$no_bpftrace" ]; then
	shared "bpftrace counting hits of the same $bt_n tracepoints" "$(ratios bpftrace off | stats | fmt ratio)"
	shared "— hits counted per round" "$(each bpftrace.events | stats | fmt int)"
else
	shared "bpftrace counting hits of the same tracepoints" "not measured (see above)"
fi
# ipft_row TITLE CONFIG [SUFFIX KIND]: one row of an ipft configuration,
# the ratio (no SUFFIX) or a counter, for each variant.
ipft_row() {
	t=$1 c=$2 sfx=${3:-} k=${4:-ratio}
	set -- "$t"
	for v in $variants; do
		if [ -z "$sfx" ]; then
			set -- "$@" "$(ratios "$c.$v" off | stats | fmt ratio)"
		else
			set -- "$@" "$(each "$c.$v$sfx" | stats | fmt "$k")"
		fi
	done
	if [ -n "$base" ]; then
		if [ -z "$sfx" ]; then set -- "$@" "$(ratios "$c.this" "$c.base" | stats | fmt ratio)"; else set -- "$@" ""; fi
	fi
	row "$@"
}
ipft_row "ipft tracing every packet" traced
ipft_row "— events lost per round (ring buffer full)" traced .lost int
ipft_row "— packets not followed per round (tracking map full)" traced .unf int
ipft_row "— packets written per round" traced .written int
ipft_row "— ring-buffer bytes per packet written" traced .rbytes int
ipft_row "— file bytes per packet written" traced .fbytes int
ipft_row "— ipft's peak resident set" traced .rss mib
memlock_cell() { # the maps' memlock of CONFIG.VARIANT (the same every round)
	for r in $(seq "$rounds"); do rd "$r" "$1.memlock"; done | sort -n | tail -1 |
		awk '{ printf "%.1f MiB (%d maps)", $1 / 1048576, $2 }'
}
set -- "— kernel memory of ipft's BPF maps (memlock)"
for v in $variants; do set -- "$@" "$(memlock_cell "traced.$v")"; done
[ -z "$base" ] || set -- "$@" ""
row "$@"
ipft_row "ipft, mark filter matches nothing" filtered
ipft_row "ipft, pcap filter matches nothing" pcap
ipft_row "ipft --trigger reason=UDP_CSUM, nothing triggers" trigger
ipft_row "— packets written per round" trigger .written int

# Against the peers of the same round (issue 16's targets).
echo
verdict() { # verdict "MED MIN MAX" TARGET: the median's verdict
	echo "$1" | awk -v t="$2" '{ print ($1 >= t) ? "meets" : "BELOW" }'
}
target() { # target TITLE NUM DEN GOAL [traced]
	set -- "$1" "$2" "$3" "$4" "${5:-}"
	s="| $1 | ≥ $4"
	[ -z "$5" ] || s="$s, none lost or unfollowed"
	s="$s |"
	for v in $variants; do
		st=$(ratios "$2.$v" "$3" | stats)
		if [ -z "$st" ]; then
			s="$s not measured |"
			continue
		fi
		vd=$(verdict "$st" "$4")
		if [ -n "$5" ]; then
			l=$(each "traced.$v.lost" | stats | awk '{ print $3 }')
			u=$(each "traced.$v.unf" | stats | awk '{ print $3 }')
			[ "$l" = 0 ] && [ "$u" = 0 ] || vd="BELOW ($l lost, $u not followed at most)"
		fi
		s="$s $(echo "$st" | fmt ratio): $vd |"
	done
	echo "$s"
}
if [ -n "$base" ]; then
	row "same round, ratio" "target" "$label_this" "$label_base"
	row --- --- --- ---
else
	row "same round, ratio" "target" "$label_this"
	row --- --- ---
fi
target "ipft, mark filter matches nothing ÷ the floor" filtered floor 0.98
target "ipft, pcap filter matches nothing ÷ the floor" pcap floor 0.97
target "ipft tracing every packet ÷ tcpdump -w" traced tcpdump 1.00 traced
target "ipft --trigger, nothing triggers ÷ the floor" trigger floor 0.90

# Where the floor itself goes: programs of ipft's shape (one per
# tracepoint) against one program attached everywhere, and the filters
# against the former (no target: what a clone per tracepoint costs).
echo
set -- "same round, ratio (no target)"
for v in $variants; do eval "set -- \"\$@\" \"\$label_$v\""; done
row "$@"
set -- ---
for v in $variants; do set -- "$@" ---; done
row "$@"
set -- "one program per tracepoint ÷ the floor" "$(ratios floor_each floor | stats | fmt ratio)"
[ -z "$base" ] || set -- "$@" "same runs"
row "$@"
each_row() { # each_row TITLE CONFIG: CONFIG ÷ floor_each, per variant
	t=$1 c=$2
	set -- "$t"
	for v in $variants; do set -- "$@" "$(ratios "$c.$v" floor_each | stats | fmt ratio)"; done
	row "$@"
}
each_row "ipft, mark filter matches nothing ÷ one program per tracepoint" filtered
each_row "ipft, pcap filter matches nothing ÷ one program per tracepoint" pcap
each_row "ipft --trigger, nothing triggers ÷ one program per tracepoint" trigger
