# common.sh - what the tracer tests share on top of tests/lib.sh (sourced).
. "$top_srcdir/tests/lib.sh"
NETPEER=$top_builddir/tests/tracer/netpeer

need_tracing() {
	need_root
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF (CONFIG_DEBUG_INFO_BTF)"
	[ -x "$IPFT" ] || die "$IPFT not built"
	[ -x "$NETPEER" ] || die "$NETPEER not built"
}

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

