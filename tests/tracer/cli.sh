#!/bin/sh
# Command-line errors: one clear line on stderr, non-zero exit, no output
# file; --help documents every option; a missing capability is named.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
[ -x "$IPFT" ] || die "$IPFT not built"

# expect_error DESCRIPTION PATTERN ARGS...: exit 1 and one line matching.
expect_error() {
	desc=$1 pat=$2; shift 2
	rc=0
	"$IPFT" "$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$pat" "$T/err"; then
		pass "$desc: $(cat "$T/err")"
	else
		fail "$desc (rc $rc): $(cat "$T/err")"
	fi
}

expect_error "unknown option" "unknown option '--bogus'" --bogus
expect_error "bad mark" "bad --mark 'xyz'" -m xyz
expect_error "zero mask" "bad --mask" -m 1 --mask 0
expect_error "bad output format" "bad --output 'xml'" -o xml
expect_error "bad count" "bad --count" -c 0
expect_error "bad duration" "bad --duration" --duration -3
expect_error "snaplen too big" "bad --snaplen" -s 100000
expect_error "interface name too long" "bad --interface" -i abcdefghijklmnopq
expect_error "bad netns" "bad --netns" --netns /nonexistent/ns
expect_error "option without value" "needs a value" -w
expect_error "-w - with -o" "both want stdout" -w - -o json
expect_error "--trace-blocks without -w" "needs -w" --trace-blocks
expect_error "invalid pcap-filter expression" "bad filter expression 'udp port': .*syntax error" -w "$T/x.pcapng" udp port
expect_error "bad --proto" "bad --proto 'xyz'" --proto xyz
expect_error "bad --saddr" "bad --saddr '10.0.0'" --saddr 10.0.0
expect_error "bad --dport" "bad --dport '70000'" --dport 70000
expect_error "bad regex" "bad regex" -l -r '('
expect_error "regex matching nothing" "no attach point matches" -l -r '^no_such_tracepoint$'
expect_error "unknown backend" "bad --backend 'nope'" -b nope -w "$T/x.pcapng"
expect_error "unknown tracer" "bad --tracer 'graph'" -t graph -w "$T/x.pcapng"
expect_error "function_graph with a backend without returns" \
	"-t function_graph needs returns, which -b kprobe does not trace" -t function_graph -b kprobe -w "$T/x.pcapng"
expect_error "-b fentry with -t function" "use it with -t function_graph" -b fentry -t function -w "$T/x.pcapng"
check "no output file left by failed runs" [ ! -e "$T/x.pcapng" ]

"$IPFT" --help >"$T/help"
for o in -w -o -b -t -r -l -m --mask -i --netns -c --duration -s -v --version \
	--trace-blocks --max-inflight --flush-timeout --ringbuf-size; do
	grep -q -- "$o[ ,]" "$T/help" || fail "--help does not document $o"
done
pass "--help documents every option"
check "--help says what --trace-blocks costs" grep -q 'lag one record per block' "$T/help"
check "--help documents the exit status" grep -q '^Exit status' "$T/help"
check "--version prints the version" sh -c "'$IPFT' --version | grep -q '^ipft [0-9]'"

"$IPFT" -l -r '^(kfree_skb|consume_skb)$' >"$T/list" || fail "-l failed"
cat "$T/list"
check "-l lists kfree_skb with its skb argument and backend" \
	grep -q '^tracepoint .*kfree_skb .*arg1 .*tracepoint' "$T/list"
check "-l counts the points (two tracepoints, the consume_skb function)" \
	grep -q '^3 attach points$' "$T/list"
check "-l lists the function consume_skb with the function backends" \
	grep -q '^function .*consume_skb .*arg1 .*kprobe-multi kprobe fentry' "$T/list"
"$IPFT" -l >"$T/all"
check "-l lists over a thousand functions that take an skb" \
	[ "$(grep -c '^function ' "$T/all")" -gt 1000 ]
check "-l says which backends work on this kernel" grep -q '^backend tracepoint: works' "$T/all"
# The function backends need kprobes: where the kernel lacks them, asking
# for one is one clear sentence and exit 1; where it has them, -l says so.
if [ -e /sys/bus/event_source/devices/kprobe/type ]; then
	check "-l: kprobe works on this kernel" grep -q '^backend kprobe: works' "$T/all"
else
	for b in kprobe kprobe-multi; do
		rc=0
		"$IPFT" -b $b -w "$T/x.pcapng" >"$T/out" 2>"$T/err" || rc=$?
		cat "$T/err"
		check "-b $b without kprobes: exit 1 (rc $rc)" [ $rc -eq 1 ]
		check "-b $b without kprobes: one line naming CONFIG_KPROBES" \
			sh -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'no kprobes (CONFIG_KPROBES' '$T/err'"
	done
fi

# fentry: a real program is tried; where the kernel refuses it (this
# development VM: EPERM), -b fentry and -t function_graph say so in one
# sentence and exit 1.
if grep -q '^backend fentry: works' "$T/all"; then
	pass "-l: fentry works on this kernel"
else
	for args in "-b fentry" "-t function_graph"; do
		rc=0
		"$IPFT" $args -w "$T/x.pcapng" >"$T/out" 2>"$T/err" || rc=$?
		cat "$T/err"
		check "$args where fentry is refused: exit 1, one line saying so (rc $rc)" \
			sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'refuses fentry programs' '$T/err'"
	done
	check "-l says why fentry does not work here" grep -q '^backend fentry: not here: this kernel refuses' "$T/all"
fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$IPFT" -w "$T/x.pcapng" >"$T/out" 2>"$T/err" || rc=$?
	cat "$T/err"
	check "unprivileged: one line naming the capabilities, exit 1" \
		sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'CAP_BPF and CAP_PERFMON' '$T/err'"
fi
finish
