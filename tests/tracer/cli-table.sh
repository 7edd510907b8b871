#!/bin/sh
# Malformed and edge command lines, one per row: each is refused with
# exit status 1 and exactly one short "ipft: ..." line on stderr (or
# accepted, for the rows that expect 0), within a time limit, without a
# sanitizer report. Most fail before any BPF is loaded; under the
# sanitizer build (make check-sanitizers) this checks the parser with
# ASan and UBSan.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
[ -x "$IPFT" ] || die "$IPFT not built"
need_root

LIMIT=20          # seconds: a hang fails the row
SHORT=200         # bytes: the longest line a refusal may print
X=$T/x.pcapng     # every run that could write writes here
BIG=$(head -c 100000 /dev/zero | tr '\0' a)  # a 100 KB argument
NL=$(printf 'a\nb')
TAB=$(printf 'a\tb')
NS=$(ls /proc/self/ns/net)

# run_case RC PATTERN ARGS...: ipft ARGS exits RC within the time limit,
# without a sanitizer report. RC 1: stderr is one short line "ipft: ..."
# matching PATTERN. RC 0 (PATTERN -): stderr is empty. RC 0 with a
# PATTERN: stderr has exactly one warning, "ipft: warning: PATTERN".
rows=0
run_case() {
	want=$1 pat=$2; shift 2
	rows=$((rows + 1))
	rc=0
	timeout -s KILL $LIMIT "$IPFT" "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
	lines=$(wc -l <"$T/err") longest=$(awk '{ if (length > n) n = length } END { print n + 0 }' "$T/err")
	what="ipft $(echo "$*" | tr '\n' '?' | cut -c1-60)"
	if grep -q 'Sanitizer\|runtime error' "$T/err"; then
		fail "$what: sanitizer report: $(head -c 300 "$T/err")"
	elif [ $rc -ne "$want" ]; then
		fail "$what: exit $rc, not $want$([ $rc -eq 137 ] && echo ' (killed: hung)'): $(head -c 300 "$T/err")"
	elif [ "$want" -eq 1 ] && { [ "$lines" -ne 1 ] || [ "$longest" -gt $SHORT ] ||
			! grep -q -- "^ipft: .*$pat" "$T/err"; }; then
		fail "$what: not one short line matching '$pat' ($lines lines, $longest bytes): $(head -c 300 "$T/err")"
	elif [ "$want" -eq 0 ] && [ "$pat" = - ] && [ "$lines" -ne 0 ]; then
		fail "$what: stderr not empty: $(head -c 300 "$T/err")"
	elif [ "$want" -eq 0 ] && [ "$pat" != - ] && { [ "$(grep -c 'warning' "$T/err")" -ne 1 ] ||
			! grep -q -- "^ipft: warning: $pat" "$T/err"; }; then
		fail "$what: not one warning matching '$pat': $(head -c 300 "$T/err")"
	else
		pass "$what: $(head -n 1 "$T/err" | cut -c1-120)"
	fi
	rm -f "$X"
}

# options and their values
run_case 1 "unknown option '--bogus'" --bogus
run_case 1 "unknown option '-y'" -y
run_case 1 "unknown option '-y'" -yl
run_case 1 "bad --collect 'l': no such collector" -xl
run_case 1 "bad --collect 'meta,': an empty name" -x meta,
run_case 1 "option '-x' needs a value" -x
run_case 1 "unknown option '--=1'" --=1
run_case 1 "unknown option '--.*'" --m$BIG
run_case 1 "'--ma' is ambiguous: --mark, --mask, --max-inflight" --ma 3
run_case 1 "option '--list' takes no value" --list=yes
run_case 1 "option '-w' needs a value" -w
run_case 1 "option '--write' needs a value" --write
run_case 1 "option '-c' needs a value" -c
run_case 1 "option '--duration' needs a value" --duration
run_case 1 "unknown option '--a*\.\.\.'" "--$BIG"
# counts: only digits, in range
run_case 1 "bad --count '0'" -c 0
run_case 1 "bad --count ' -1'" -c ' -1'
run_case 1 "bad --count '-1'" -c -1
run_case 1 "bad --count '+5'" -c +5
run_case 1 "bad --count '1x'" -c 1x
run_case 1 "bad --count ''" -c ''
run_case 1 "bad --count '0x'" -c 0x
run_case 1 "bad --count '1e3'" -c 1e3
run_case 1 "bad --count '18446744073709551616'" -c 18446744073709551616
run_case 1 "bad --count '08': a leading 0 makes an octal number" -c 08
run_case 1 "--count given twice" -c 1 -c 2
run_case 1 "bad --trigger '': want drop, reason=NAME" --trigger ''
run_case 1 "bad --trigger 'drop,': want drop" --trigger drop,
run_case 1 "bad --trigger 'latency>1x'" --trigger 'latency>1x'
run_case 1 "bad --trigger 'reason=A,reason=B'" --trigger reason=A,reason=B
run_case 1 "bad --trigger 'reason=no_socket'" --trigger reason=no_socket
run_case 1 "bad --trigger 'func=('" --trigger 'func=('
run_case 1 "bad --trigger '.*': no control characters" --trigger "$NL"
run_case 1 "bad --mark 'xyz'" -m xyz
run_case 1 "bad --mark '4294967296'" -m 4294967296
run_case 1 "bad --mark '-1'" -m -1
run_case 1 "bad --mask '0'" -m 1 --mask 0
run_case 1 "bad --mask '0x100000000'" -m 1 --mask 0x100000000
run_case 1 "--mask needs -m" --mask 0xff
run_case 1 "--mark given twice" -m 1 -m 2
run_case 1 "bad --snaplen '0'" -s 0
run_case 1 "bad --snaplen '1025'" -s 1025
run_case 1 "bad --snaplen '100000'" -s 100000
run_case 1 "bad --snaplen 'abc'" --snaplen=abc
run_case 1 "bad --snaplen '0100000'" -s 0100000
run_case 1 "bad --max-inflight '0'" --max-inflight 0
run_case 1 "bad --max-inflight '16777217'" --max-inflight 16777217
run_case 1 "bad --ringbuf-size '3': a power of two" --ringbuf-size 3
run_case 1 "bad --ringbuf-size '2048'" --ringbuf-size 2048
run_case 1 "bad --ringbuf-size '0'" --ringbuf-size 0
# seconds: decimal, within bounds
run_case 1 "bad --duration '0'" --duration 0
run_case 1 "bad --duration '-3'" --duration -3
run_case 1 "bad --duration '1e-300'" --duration 1e-300
run_case 1 "bad --duration '0.001'" --duration 0.001
run_case 1 "bad --duration 'nan'" --duration nan
run_case 1 "bad --duration 'inf'" --duration inf
run_case 1 "bad --duration '1e10'" --duration 1e10
run_case 1 "bad --duration '1e999'" --duration 1e999
run_case 1 "bad --duration ' 5'" --duration ' 5'
run_case 1 "bad --duration '5s'" --duration 5s
run_case 1 "bad --flush-timeout '1e-12'" --flush-timeout 1e-12
run_case 1 "bad --flush-timeout '0.05'" --flush-timeout 0.05
# words from a list
run_case 1 "bad --output 'xml': choose aggregate or json" -o xml
run_case 1 "bad --output ''" -o ''
run_case 1 "bad --output 'JSON'" -o JSON
run_case 1 "bad --output 'a?b'" -o "$NL"
run_case 1 "bad --output 'a*\.\.\.'" -o "$BIG"
run_case 1 "bad --backend 'nope': choose auto, tracepoint" -b nope
run_case 1 "bad --backend ''" -b ''
run_case 1 "bad --tracer 'graph'" -t graph
run_case 1 "bad --proto 'xyz'" --proto xyz
run_case 1 "bad --proto ''" --proto ''
run_case 1 "--proto given twice" --proto udp --proto tcp
# names, paths and addresses
run_case 1 "bad --write ''" -w ''
run_case 1 "--write given twice" -w "$X" -w "$X"
run_case 1 "bad --regex ''" -r ''
run_case 1 "bad --regex 'a?b': control characters" -l -r "$NL"
run_case 1 "bad regex" -l -r '('
run_case 1 "no attach point matches" -l -r '^no_such_point$'
run_case 1 "bad --interface ''" -i ''
run_case 1 "bad --interface 'abcdefghijklmnop'" -i abcdefghijklmnop
run_case 1 "bad --interface 'a b'" -i 'a b'
run_case 1 "bad --interface 'a?b'" -i "$TAB"
run_case 1 "bad --interface 'a/b'" -i a/b
run_case 1 "bad --interface '\.\.'" -i ..
run_case 1 "bad --netns '/etc/passwd': not a namespace file" --netns /etc/passwd
run_case 1 "bad --netns '/': not a namespace file" --netns /
run_case 1 "bad --netns '/proc/self/ns/mnt': .*not a network namespace" --netns /proc/self/ns/mnt
run_case 1 "bad --netns '/nonexistent/ns': No such file" --netns /nonexistent/ns
run_case 1 "bad --netns '0'" --netns 0
run_case 1 "bad --netns '4294967296'" --netns 4294967296
run_case 1 "bad --netns ''" --netns ''
run_case 1 "--netns given twice" --netns "$NS" --netns "$NS"
run_case 1 "bad --saddr '10.0.0'" --saddr 10.0.0
run_case 1 "bad --saddr ''" --saddr ''
run_case 1 "bad --daddr '1.2.3.4.5'" --daddr 1.2.3.4.5
run_case 1 "bad --daddr 'fe80::1%lo'" --daddr 'fe80::1%lo'
run_case 1 "bad --sport '0'" --sport 0
run_case 1 "bad --dport '70000'" --dport 70000
run_case 1 "bad --dport '011x'" --dport 011x
run_case 1 "bad --dport '09': a leading 0" --dport 09
run_case 1 "--dport given twice" --dport 9 --dport 10
run_case 1 "--sport given twice" --proto udp --saddr 10.0.0.1 --daddr 10.0.0.2 --sport 5555 --dport 9 --sport 5556
# options that do not go together
run_case 1 "-w - and -o both want stdout" -w - -o json
run_case 1 "--trace-blocks needs -w" --trace-blocks
run_case 1 "-t function_graph needs returns" -t function_graph -b kprobe -w "$X"
run_case 1 "use it with -t function_graph" -b fentry -t function -w "$X"
# the expression
run_case 1 "bad filter expression 'udp port'" -w "$X" udp port
run_case 1 "bad filter expression" -w "$X" --proto udp 'port'
run_case 1 "backward jump" -w "$X" 'ip6 protochain 6'
# accepted: help and version win, -l lists, and a valid 5-tuple
run_case 0 "-" --help --bogus
run_case 0 "-" --version -c 0
run_case 0 "-" -l -r '^kfree_skb$' -s 0x10 -c 010 --dport 011
run_case 0 "-" -l -r '^kfree_skb$' --proto udp --saddr 10.0.0.1 --daddr 10.0.0.2 --sport 5555 --dport 9
run_case 0 "-" -l -r '^kfree_skb$' --netns "$NS" --mar=7
# accepted with one warning: ipft traces, briefly
run_case 0 "no device 'nosuchdev0' in ipft's network namespace" \
	-w "$X" -r '^kfree_skb$' --duration 0.2 -i nosuchdev0
run_case 0 "no process or /run/netns entry is in network namespace 4294967295" \
	-w "$X" -r '^kfree_skb$' --duration 0.2 --netns 4294967295
check "the table has at least 60 rows ($rows)" [ $rows -ge 60 ]
check "no output file left by refused runs" [ ! -e "$X" ]
finish
