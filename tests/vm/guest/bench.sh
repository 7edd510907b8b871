# Guest benchmark (make bench-vm, not part of CI): with each function
# backend this kernel has, attach every traceable function (and every skb
# tracepoint), time the attach and the detach, and measure how many events
# per second ipft takes without loss: UDP datagrams to a closed port in a
# child namespace, sent as fast as one socket can, in two bursts.  ipft -v
# times its own phases (discover, load, attach; detach, drain): reported
# beside the times the shell saw.  /bench-backends (make bench-vm's
# BENCH_BACKENDS) narrows the backends; a backend named with "+clones"
# runs with IPFT_TP_PROGRAMS=clones (a program per tracepoint, as before
# 6.10), for comparing the start with the shared tracepoint programs, and
# one named with "@base" runs /bin/ipft-base (make bench-vm BENCH_BASE=),
# another build, in the same guest.  /bench-datagrams: the bursts to send
# ("0": none, the start and stop only).  /bench-args (make bench-vm's
# BENCH_IPFT_ARGS): options for every ipft run.  The kernel's accounting
# of BPF programs is on: hits and hit_ns (ns per run of ipft's programs,
# from their fdinfo while tracing) are what each hit cost.
. /lib.sh
echo "INFO kernel=$(uname -r)"
ipft -l >/tmp/list.txt 2>&1
if ! make_pair; then
	result veth-netns FAIL "no veth pair or no ping through it"
	exit 1
fi
backends=$(cat /bench-backends 2>/dev/null || true)
bursts=$(cat /bench-datagrams 2>/dev/null || true)
args=$(cat /bench-args 2>/dev/null || true)
echo 1 >/proc/sys/kernel/bpf_stats_enabled

# hits=N hit_ns=NS: runs of process $1's BPF programs and their mean time.
prog_runs() {
	cat "/proc/$1"/fdinfo/* 2>/dev/null | awk '
		/^run_time_ns:/ { t += $2 } /^run_cnt:/ { c += $2 }
		END { printf "hits=%d hit_ns=%.1f", c, c ? t / c : 0 }'
}
for run in ${backends:-fentry kprobe-multi kprobe}; do # kprobe last: it hung 6.12 once
	b=${run%@base}
	ipft=ipft
	[ "$b" = "$run" ] || ipft=/bin/ipft-base
	b=${b%+clones}
	tp=shared
	case $run in *+clones*) tp=clones ;; esac
	if ! grep -q "^backend $b: works" /tmp/list.txt; then
		result bench-$run SKIP "$(grep "^backend $b:" /tmp/list.txt)"
		continue
	fi
	f=/tmp/all-$b.pcapng
	t0=$(ms)
	# shellcheck disable=SC2086 # args: several options
	IPFT_TP_PROGRAMS=$tp $ipft -v -b $b $args -w $f 2>$f.err &
	IPFT_PID=$!
	while ! grep -q 'tracing' $f.err && kill -0 $IPFT_PID 2>/dev/null; do sleep 0.2; done
	t1=$(ms)
	if ! kill -0 $IPFT_PID 2>/dev/null; then
		result bench-$run FAIL "ipft ended before tracing: $(grep -v '^ipft: function\|^libbpf\|^[0-9]*:\|^;' $f.err | tail -1)"
		continue
	fi
	sent=0 send_ms=0
	for n in ${bursts:-2000 20000}; do
		[ "$n" -gt 0 ] || continue
		s=$(ms)
		netpeer udp 10.199.0.2 9 $n
		send_ms=$((send_ms + $(ms) - s))
		sent=$((sent + n))
		sleep 6 # ipft reports losses every 5 s
	done
	runs=$(prog_runs $IPFT_PID)
	t2=$(ms)
	stop_ipft
	t3=$(ms)
	att=$(grep -o 'attached to [0-9]* of [0-9]*' $f.err | tail -1)
	# ipft's own phases (-v): discover, load, attach; detach, drain.
	# outputs: opening them (before 2026-12-05 not a phase: a base build
	# prints none).
	phases=$(sed -n 's/^ipft: started in \([0-9.]*\) s: discover \([0-9.]*\) s, load \([0-9.]*\) s, attach \([0-9.]*\) s\(, outputs \([0-9.]*\) s\)\{0,1\}$/start_s=\1 discover_s=\2 load_s=\3 attach_s=\4 outputs_s=\6/p' $f.err)
	stops=$(sed -n 's/^ipft: stopped: detach \([0-9.]*\) s, drain \([0-9.]*\) s$/detach_s=\1 drain_s=\2/p' $f.err)
	events=$(sed -n 's/.* written to .*, \([0-9]*\) events$/\1/p' $f.err)
	lost=$(sed -n 's/^ipft: \([0-9]*\) events lost.*/\1/p' $f.err)
	# What verifying the clones took (-v): programs and instructions.
	verified=$(sed -n 's/^ipft: \([0-9]*\) programs loaded, \([0-9]*\) instructions verified.*/programs=\1 verified_insns=\2/p' $f.err)
	skips=$(grep 'ipft: skipped' $f.err | sed 's/.*: //' | sort | uniq -c | sort -rn | head -3 | tr -s ' \n' ' ')
	tps=$(sed -n 's/^ipft: tracepoints: \([0-9]*\) programs\{0,1\} shared.*/tracepoint_programs=\1/p' $f.err)
	result bench-$run PASS "\"$att\" attach_ms=$((t1 - t0)) detach_ms=$((t3 - t2))" \
		"${tps:-tracepoint_programs=one_each}" \
		"${phases:-start_s=?} ${stops:-detach_s=?} ${verified:-programs=?}" \
		"datagrams=$sent send_ms=$send_ms events=${events:-?} lost=${lost:-0} $runs" \
		"events_per_s=$(( ${events:-0} * 1000 / (send_ms > 0 ? send_ms : 1) )) skipped=\"$skips\""
done
