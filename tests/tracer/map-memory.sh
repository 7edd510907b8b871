#!/bin/sh
# A BPF map the kernel cannot create is named: in a memory cgroup too
# small for the tracking map of a large --max-inflight (the machine has the
# memory, the cgroup does not), ipft exits 1 with one line naming the map,
# the option that sizes it, its size and the error (ENOMEM), not a failed
# load of the whole object; the same for a large --ringbuf-size.  A small
# --max-inflight in the same cgroup traces (also under ASan: 512 MiB).
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "im$$"  # a namespace of its own: the run that traces sees nothing else

# The memory controller: cgroup v2 (memory.max) or v1 (memory.limit_in_bytes).
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	parent=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup) limit=memory.max
elif [ -d /sys/fs/cgroup/memory ]; then
	parent=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
	limit=memory.limit_in_bytes
else
	skip "no memory cgroup controller"
fi
cg=$parent/ipft-test$$
mkdir "$cg" || die "cannot make a memory cgroup under $parent"
add_cleanup "rmdir $cg"
echo $((512 << 20)) >"$cg/$limit" || die "cannot limit $cg"

# in_cgroup CMD...: CMD in the small cgroup, its stderr in $T/err, status in rc.
in_cgroup() {
	rc=0
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" "$@" 2>"$T/err" || rc=$?
	cat "$T/err"
}

# 1 000 000 packets in flight: over 600 MiB for the tracking map, below the
# quarter of the memory available ipft allows on a machine of 4 GB or more.
in_cgroup "$IPFT" --max-inflight 1000000 -w "$T/big.pcapng" --duration 0.2 --netns "/run/netns/$NS_A"
check "in a 512 MiB cgroup, --max-inflight 1000000: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "one line" [ "$(wc -l <"$T/err")" -eq 1 ]
check "it names the map, the option, its size and ENOMEM" \
	grep -q '^ipft: cannot create the BPF map live (--max-inflight 1000000: at least [0-9]* MiB of kernel memory): Cannot allocate memory$' "$T/err"

# The ring buffer too.
in_cgroup "$IPFT" --ringbuf-size 1024 -w "$T/big.pcapng" --duration 0.2 --netns "/run/netns/$NS_A"
check "--ringbuf-size 1024 in the cgroup: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "it names the ring buffer's map and its size" \
	grep -q '^ipft: cannot create the BPF map events (--ringbuf-size 1024: at least 1024 MiB of kernel memory): Cannot allocate memory$' "$T/err"

# A small map fits: the cgroup is not what fails.
in_cgroup "$IPFT" --max-inflight 1024 -w "$T/small.pcapng" --duration 0.2 --netns "/run/netns/$NS_A"
check "in the same cgroup, --max-inflight 1024 traces (rc $rc)" [ "$rc" -eq 0 ]
check "its file is valid" "$CAPINFOS" "$T/small.pcapng" >/dev/null
finish
