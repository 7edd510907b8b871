#!/bin/bash
# kernel-table.sh DIR: the kernels make check-vm booted, what each has and
# how each backend fared there, as Markdown on stdout (docs/kernels.md).
# Everything comes from what the guests measured and the host checked:
# tests/vm/run.sh's DIR/report-<suite>.txt (smoke) and
# DIR/filter/report-<suite>.txt (pcap filter).  A kernel's features are
# what ipft -v said it does without there (INFO lacks), what the guest read
# from the kernel (INFO drop_reasons, module_btf, cpu_ibt) and the
# kernel's config (INFO config); a backend's cell counts its RESULT lines.
set -euo pipefail
dir=$1

# The suites, oldest kernel first.
suites=$(for f in "$dir"/report-*.txt; do
	[ -s "$f" ] || continue
	s=${f##*/report-}
	s=${s%.txt}
	k=$(sed -n 's/^== [^:]*: kernel \([^;]*\);.*/\1/p' "$f" | head -1)
	echo "${k:-0} $s"
done | sort -V | cut -d' ' -f2)
if [ -z "$suites" ]; then
	echo "kernel-table.sh: no report-*.txt in $dir" >&2
	exit 1
fi
files=
for s in $suites; do
	files="$files $dir/report-$s.txt"
	[ -s "$dir/filter/report-$s.txt" ] && files="$files $dir/filter/report-$s.txt"
done

# shellcheck disable=SC2086
awk -v suites="$suites" -f "$(dirname "$0")/kernel-table.awk" $files
