#!/bin/sh
# Where ipft writes: a symbolic link in a directory anyone can write to is
# not followed (root would truncate its target), one elsewhere is; files
# are created 0644 less the umask; a full disk ends every output mode
# (pcapng, --trace-blocks, JSON, aggregate) with exit 2 and one line
# naming it; a --max-inflight the machine cannot spare is refused before
# anything is loaded.
set -eu
. "$top_srcdir/tests/tracer/common.sh"
need_tracing
make_pair "io$$"
ns=/run/netns/$NS_A

# A planted symlink in a world-writable (not sticky) directory.
mkdir "$T/ww" && chmod 0777 "$T/ww"
echo precious >"$T/target"
ln -s "$T/target" "$T/ww/trace.pcapng"
rc=0
"$IPFT" -w "$T/ww/trace.pcapng" --duration 0.2 2>"$T/ww.err" || rc=$?
cat "$T/ww.err"
check "symlink in a world-writable directory: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "symlink in a world-writable directory: one line says so" \
	sh -c "[ \$(wc -l <'$T/ww.err') -eq 1 ] && grep -q 'symbolic link in a directory anyone can write' '$T/ww.err'"
check "symlink in a world-writable directory: its target is untouched" \
	[ "$(cat "$T/target")" = precious ]

# A symlink the user made in their own directory is followed.
ln -s "$T/real.pcapng" "$T/link.pcapng"
"$IPFT" -w "$T/link.pcapng" --duration 0.2 2>/dev/null && rc=0 || rc=$?
check "symlink in a private directory: followed (rc $rc)" \
	sh -c "[ $rc -eq 0 ] && '$CAPINFOS' '$T/real.pcapng' >/dev/null"

# File modes follow the umask.
(umask 022 && "$IPFT" -w "$T/m644.pcapng" --duration 0.2 2>/dev/null)
(umask 077 && "$IPFT" -w "$T/m600.pcapng" --duration 0.2 2>/dev/null)
check "umask 022: 0644" [ "$(stat -c %a "$T/m644.pcapng")" = 644 ]
check "umask 077: 0600" [ "$(stat -c %a "$T/m600.pcapng")" = 600 ]

# More packets in flight than the machine can spare kernel memory for.
rc=0
"$IPFT" --max-inflight 16777216 -w "$T/big.pcapng" --duration 0.2 2>"$T/big.err" || rc=$?
cat "$T/big.err"
check "--max-inflight 16777216: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "--max-inflight 16777216: one line with the memory it needs" \
	sh -c "[ \$(wc -l <'$T/big.err') -eq 1 ] && grep -q 'needs about [0-9]* MiB of kernel memory' '$T/big.err'"

# A full disk, for each output mode.
mkdir "$T/small"
mount -t tmpfs -o size=64k ipft-test "$T/small" || die "cannot mount a tmpfs"
add_cleanup "umount $T/small"
full_disk() { # NAME IPFT-ARGS...: runs ipft into the small tmpfs under traffic
	name=$1; shift
	rm -f "$T/small/"*
	sh -c 'o=$1; shift; exec "$@" >"$o"' sh "$T/small/$name.out" "$IPFT" "$@" --netns "$ns" \
		2>"$T/$name.err" &
	pid=$!
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 1000 ]; do
		ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 20 || true
		i=$((i + 1))
	done
	rc=0
	wait $pid || rc=$?
	tail -n 2 "$T/$name.err"
	check "full disk, $name: exit 2 (rc $rc)" [ "$rc" -eq 2 ]
	check "full disk, $name: the error names it" grep -q 'No space left on device' "$T/$name.err"
}
full_disk pcapng -w "$T/small/f.pcapng"
check "full disk, pcapng: the file is valid" "$CAPINFOS" "$T/small/f.pcapng" >/dev/null
full_disk trace-blocks -w "$T/small/f.pcapng" --trace-blocks
check "full disk, trace-blocks: the file is valid" "$CAPINFOS" "$T/small/f.pcapng" >/dev/null
full_disk json -o json
full_disk aggregate -o aggregate
finish
