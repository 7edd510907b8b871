#!/bin/sh
# An expression libpcap's optimiser takes long over (500 'host X'
# alternatives: seconds) is announced on stderr once compiling has taken a
# second, with the time it took; a quick one (100 'ip host X') says
# nothing.  As nobody: ipft compiles the expression, then stops at the
# privilege check, before anything is loaded.
set -u
. "$top_srcdir/tests/lib.sh"
[ -x "$IPFT" ] || die "$IPFT not built"
AS=""
[ "$(id -u)" = 0 ] && AS="setpriv --reuid=65534 --regid=65534 --clear-groups"

# terms N PRIMITIVE: "PRIMITIVE 10.9.0.0 or PRIMITIVE 10.9.0.1 or ..."
terms() {
	awk -v n="$1" -v p="$2" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "%s%s 10.9.%d.%d", i ? " or " : "", p, int(i / 256), i % 256 }'
}
NOTE="ipft: compiling the filter expression takes long: libpcap's optimiser is slow on many alternatives ('ip host A', 'tcp port N' compile much faster than 'host A', 'port N')"
PRIV="ipft: root, or CAP_BPF and CAP_PERFMON, are needed to load the BPF programs"

rc=0
timeout 300 $AS "$IPFT" -w /dev/null "$(terms 500 host)" >/dev/null 2>"$T/slow.err" || rc=$?
cat "$T/slow.err"
check "500 'host' terms: exit status 1 at the privilege check (rc $rc)" [ $rc -eq 1 ]
check "500 'host' terms: the note, the time it took, the privilege error, nothing else" sh -c "
	[ \$(wc -l <'$T/slow.err') -eq 3 ] &&
	[ \"\$(sed -n 1p '$T/slow.err')\" = \"\$1\" ] &&
	sed -n 2p '$T/slow.err' | grep -Eq '^ipft: filter expression compiled in [1-9][0-9]*\.[0-9] s$' &&
	[ \"\$(sed -n 3p '$T/slow.err')\" = \"\$2\" ]" sh "$NOTE" "$PRIV"

rc=0
timeout 60 $AS "$IPFT" -w /dev/null "$(terms 100 'ip host')" >/dev/null 2>"$T/quick.err" || rc=$?
cat "$T/quick.err"
check "100 'ip host' terms: exit status 1 at the privilege check (rc $rc)" [ $rc -eq 1 ]
check "100 'ip host' terms: only the privilege error" [ "$(cat "$T/quick.err")" = "$PRIV" ]
finish
