#!/bin/sh
# ipft trim refuses what it cannot trim with one line on stderr: exit 1
# for a bad command line or IN (not pcapng, truncated, a malformed trace,
# missing, OUT the same file), exit 2 when OUT cannot be written (no such
# directory, no permission, a full disk).  A failure leaves no OUT behind.
# The input is the sample of a dropped datagram (samples/udp-drop.pcapng,
# written by the tracer's own writer).
set -eu
. "$top_srcdir/tests/lib.sh"
[ -x "$IPFT" ] || die "$IPFT not built"
good=$T/good.pcapng
cp "$top_srcdir/samples/udp-drop.pcapng" "$good"
chmod 0644 "$good"

# refused STATUS WHAT PATTERN ARGS...: ipft trim ARGS exits STATUS with one
# line matching PATTERN, and leaves no $T/out.pcapng.
refused() {
	want=$1 what=$2 pat=$3; shift 3
	rm -f "$T/out.pcapng"
	rc=0
	"$IPFT" trim "$@" 2>"$T/err" >"$T/stdout" || rc=$?
	echo "$what: rc $rc: $(cat "$T/err")"
	check "$what: exit $want, one line, no OUT" sh -c \
		"[ $rc -eq $want ] && [ \$(wc -l <'$T/err') -eq 1 ] &&
		 grep -q '^ipft trim: .*$pat' '$T/err' && [ ! -e '$T/out.pcapng' ]"
}

refused 1 "no arguments" "needs IN and OUT"
refused 1 "one argument" "needs IN and OUT" "$good"
refused 1 "three arguments" "one IN and one OUT" "$good" "$T/out.pcapng" "$T/x"
refused 1 "an unknown flag" "unknown option .--payloads." "$good" "$T/out.pcapng" --payloads
refused 1 "a missing IN" "cannot open $T/none.pcapng" "$T/none.pcapng" "$T/out.pcapng"
refused 1 "an empty IN" "empty file" /dev/null "$T/out.pcapng"
printf 'not a capture file at all, just text\n' >"$T/text"
refused 1 "IN not pcapng" "not a pcapng file" "$T/text" "$T/out.pcapng"
head -c 700 "$good" >"$T/cut.pcapng"
refused 1 "IN truncated in a block" "offset [0-9]*: block of [0-9]* bytes is truncated" \
	"$T/cut.pcapng" "$T/out.pcapng"
# The first trace's event count (16 bytes into the TRACE header after
# the record header) raised: the codec refuses the record.
magic=$(grep -obUa IPFT "$good" | head -1 | cut -d: -f1)
cp "$good" "$T/bad-trace.pcapng"
printf '\377' | dd of="$T/bad-trace.pcapng" bs=1 seek=$((magic + 32)) conv=notrunc 2>/dev/null
refused 1 "a malformed trace" "offset [0-9]*: malformed ipft record: trace claims 255 events" \
	"$T/bad-trace.pcapng" "$T/out.pcapng"
cp "$good" "$T/same.pcapng"
refused 1 "OUT the same file as IN" "OUT must be another file than IN" \
	"$T/same.pcapng" "$T/./same.pcapng"
check "IN is left as it was" cmp -s "$good" "$T/same.pcapng"
refused 2 "OUT in no directory" "cannot create $T/nodir/out.pcapng" "$good" "$T/nodir/out.pcapng"
if [ -w /dev/full ]; then
	rc=0
	"$IPFT" trim "$good" /dev/full 2>"$T/err" || rc=$?
	echo "a full disk: rc $rc: $(cat "$T/err")"
	check "a full disk: exit 2, one line naming it; /dev/full still there" sh -c \
		"[ $rc -eq 2 ] && [ \$(wc -l <'$T/err') -eq 1 ] &&
		 grep -q 'writing /dev/full failed: .*No space' '$T/err' && [ -c /dev/full ]"
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir -m 0755 "$T/root-only"
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$IPFT" trim "$good" "$T/root-only/out.pcapng" 2>"$T/err" || rc=$?
	echo "no permission: rc $rc: $(cat "$T/err")"
	check "OUT where the user may not write: exit 2, one line" sh -c \
		"[ $rc -eq 2 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'Permission denied' '$T/err'"
fi

rc=0
"$IPFT" trim --help >"$T/help" 2>&1 || rc=$?
check "--help: exit 0, the four flags" sh -c \
	"[ $rc -eq 0 ] && [ \$(grep -c -e '--payload' -e '--cmdline' -e '--host' -e '--addresses' '$T/help') -ge 4 ]"
check "ipft --help names the sub-command" sh -c "'$IPFT' --help | grep -q 'ipft trim IN OUT'"
rc=0
"$IPFT" trim "$good" - --addresses >"$T/stdout.pcapng" 2>"$T/err" || rc=$?
check "OUT '-' is stdout, and says nothing" sh -c \
	"[ $rc -eq 0 ] && [ ! -s '$T/err' ] && '$DUMP' '$T/stdout.pcapng' | grep -q 'trimmed=\"addresses\"'"
finish
