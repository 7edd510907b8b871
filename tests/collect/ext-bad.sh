#!/bin/sh
# -e with a bad extension: each is told in one error (for the verifier,
# with the lines of its log that say why), ipft exits 1 and attaches
# nothing.  Each extension is compiled here from a few lines of C against
# include/ipft/extension.h.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing

# bad NAME 'C SOURCE' 'EXPECTED ERROR (grep -E)'
bad() {
	printf '#include <ipft/extension.h>\n%s\n' "$2" >"$T/$1.bpf.c"
	"${CLANG:-clang}" -target bpf -O2 -g -I"$top_srcdir/include" -c "$T/$1.bpf.c" \
		-o "$T/$1.bpf.o" || die "clang failed on $1"
	try "$1" "$T/$1.bpf.o" "$3"
}

# try NAME FILE 'EXPECTED ERROR'
try() {
	rc=0
	"$IPFT" -e "$2" -o json -c 1 --duration 5 "udp port 9" >"$T/out" 2>"$T/err" || rc=$?
	cat "$T/err"
	check "$1: exit 1 ($rc)" [ "$rc" -eq 1 ]
	check "$1: one error, and what it says" \
		sh -c "[ \$(grep -c '^ipft:' '$T/err') -eq 1 ] && grep -Eq '$3' '$T/err'"
	check "$1: nothing attached, nothing written" \
		sh -c "! grep -q 'attach\|tracing' '$T/err' && [ ! -s '$T/out' ]"
}

EV='struct ev { __u32 len; } __ipft_event_struct;'
bad no-module "$EV
__hidden int other(void *ctx, struct sk_buff *skb, __u8 data[64]) { return 0; }" \
	'^ipft: extension .*no-module.bpf.o: no function module\(\)'
bad signature "$EV
__hidden int module(void *ctx, struct sk_buff *skb) { return 0; }" \
	'module\(\) does not have the signature int module\(void \*ctx, struct sk_buff \*skb, __u8 data\[64\]\)'
bad too-large 'struct ev { char name[60]; __u64 more; } __ipft_event_struct;
IPFT_MODULE(ctx, skb, data) { return 0; }' \
	'its output struct is 72 bytes: module\(\) may write 64'
bad no-struct 'IPFT_MODULE(ctx, skb, data) { return 0; }' \
	'no output struct: the type of a global __ipft_event_struct'
bad verifier "$EV
IPFT_MODULE(ctx, skb, data) { return *(int *)(unsigned long)bpf_get_prandom_u32(); }" \
	'the kernel.s verifier refused it:'
check "verifier: the source line it quotes" grep -q '^    ; .*bpf_get_prandom_u32' "$T/err"
check "verifier: the instruction it refused, without register states" \
	grep -Eq '^    [0-9]+: \([0-9a-f]+\) r[0-9] = \*\(u32 \*\)\(r[0-9] \+0\)$' "$T/err"
check "verifier: why" grep -Eq "^    R[0-9] invalid mem access 'scalar'$" "$T/err"
check "verifier: not the whole log" [ "$(wc -l <"$T/err")" -le 10 ]
echo 'not an object' >"$T/text.bpf.o"
try not-bpf "$T/text.bpf.o" 'not a BPF object with BTF \(compile it with clang -target bpf -g\)'
try missing "$T/none.bpf.o" 'none.bpf.o: No such file or directory'
finish
