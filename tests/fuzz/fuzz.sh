#!/bin/sh
# A bounded libFuzzer run (ASan + UBSan) over the trace decoder and the
# pcapng reader, seeded with the records and files of samples/.  A crash,
# overrun or undefined behaviour fails the test; the reproducer is kept in
# the log.  Longer runs: `make fuzz`, then run the binaries by hand.
set -eu
. "$top_srcdir/tests/lib.sh"
CLANG=${CLANG:-clang}
RUNS=${IPFT_FUZZ_RUNS:-300000}

command -v "$CLANG" >/dev/null || die "clang not found (needed for libFuzzer)"
sh "$top_srcdir/tests/fuzz/build.sh" "$CLANG" "$top_srcdir" "$T" || die "building the fuzz targets failed"

mkdir "$T/records" "$T/files" "$T/corpus-records" "$T/corpus-files"
for f in udp-drop trace-blocks tcp-handshake function-graph kv; do
	cp "$top_srcdir/samples/$f.pcapng" "$T/files/"
	"$DUMP" -x "$T/records/$f" "$top_srcdir/samples/$f.pcapng" >/dev/null ||
		die "extracting the records of $f.pcapng failed"
done
check "seed records extracted" sh -c "[ \$(ls '$T/records' | wc -l) -ge 10 ]"

fuzz() {
	name=$1; shift
	if "$T/$name" -seed=1 -runs="$RUNS" -max_len=4096 "$@" >"$T/$name.log" 2>&1; then
		grep -E '^#[0-9]+[[:space:]]+DONE' "$T/$name.log" | tail -1
		return 0
	fi
	tail -40 "$T/$name.log"
	return 1
}
check "fuzz_ipft_format: $RUNS runs without a finding" \
	fuzz fuzz_ipft_format "$T/corpus-records" "$T/records"
check "fuzz_pcapng_reader: $RUNS runs without a finding" \
	fuzz fuzz_pcapng_reader "$T/corpus-files" "$T/files"
finish
