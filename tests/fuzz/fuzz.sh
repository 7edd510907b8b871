#!/bin/sh
# A bounded libFuzzer run (ASan + UBSan) over the trace decoder and the
# pcapng reader, seeded with the files of samples/ and with real trace
# files made here (tests/tracer/real-traces.sh: traffic between two
# namespaces traced by ipft, with drops and partial traces, once with the
# traces as EPB options and once with --trace-blocks), and with every ipft
# record of all of them (pcapng-dump -x).  A crash, overrun or undefined
# behaviour fails the test; the reproducer is kept in the log.  Longer
# runs: `make fuzz`, then run the binaries by hand.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
. "$top_srcdir/tests/tracer/real-traces.sh"
CLANG=${CLANG:-clang}
RUNS=${IPFT_FUZZ_RUNS:-300000}

command -v "$CLANG" >/dev/null || die "clang not found (needed for libFuzzer)"
sh "$top_srcdir/tests/fuzz/build.sh" "$CLANG" "$top_srcdir" "$T" || die "building the fuzz targets failed"

mkdir "$T/records" "$T/files" "$T/corpus-records" "$T/corpus-files" "$T/real"
for f in udp-drop trace-blocks tcp-handshake function-graph kv; do
	cp "$top_srcdir/samples/$f.pcapng" "$T/files/"
	"$DUMP" -x "$T/records/$f" "$top_srcdir/samples/$f.pcapng" >/dev/null ||
		die "extracting the records of $f.pcapng failed"
done
check "seed records of samples/ extracted" sh -c "[ \$(ls '$T/records' | wc -l) -ge 10 ]"

# Real traces need root (namespaces, BPF) and a kernel with BTF, as make
# check has; elsewhere the samples alone seed the run, and it says so.
if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then
	need_tracing
	real_traces "$T/real"
	for c in option blocks; do
		cp "$T/real/$c.pcapng" "$T/files/real-$c.pcapng"
		"$DUMP" -x "$T/records/real-$c" "$T/real/$c.pcapng" >/dev/null ||
			die "extracting the records of the real $c file failed"
	done
	check "real seed files: traces as EPB options and as Custom Blocks" \
		sh -c "[ -s '$T/files/real-option.pcapng' ] && [ -s '$T/files/real-blocks.pcapng' ]"
	check "real seed records: traces, RUN_INFO and STATS of both files ($(ls "$T/records" | grep -c '^real-') records)" \
		sh -c "[ \$(ls '$T/records' | grep -c '^real-option') -ge 10 ] &&
		       [ \$(ls '$T/records' | grep -c '^real-blocks') -ge 10 ]"
else
	echo "note: no real trace files (they need root and a kernel with BTF): seeded from samples/ only"
fi
# The largest file seed, whole: libFuzzer cuts longer seeds to -max_len.
max_file=$(wc -c "$T"/files/* | sort -n | awk '!/ total$/ { m = $1 } END { print m }')
file_len=4096
while [ $file_len -lt "$max_file" ] && [ $file_len -lt 65536 ]; do file_len=$((file_len * 2)); done

fuzz() {
	name=$1; shift
	if "$T/$name" -seed=1 -runs="$RUNS" "$@" >"$T/$name.log" 2>&1; then
		grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$T/$name.log"
		return 0
	fi
	tail -40 "$T/$name.log"
	return 1
}
check "fuzz_ipft_format: $RUNS runs over $(ls "$T/records" | wc -l) seed records without a finding" \
	fuzz fuzz_ipft_format -max_len=4096 "$T/corpus-records" "$T/records"
check "fuzz_pcapng_reader: $RUNS runs over $(ls "$T/files" | wc -l) seed files (max_len $file_len) without a finding" \
	fuzz fuzz_pcapng_reader -max_len=$file_len "$T/corpus-files" "$T/files"
finish
