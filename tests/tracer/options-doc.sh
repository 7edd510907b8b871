#!/bin/sh
# Every option of ipft's option table, as ipft --help lists it, has its own
# entry in tracer/ipft.8 and in docs/usage.md, and neither documents an
# option that ipft does not have.
set -eu
. "$top_srcdir/tests/lib.sh"
[ -x "$IPFT" ] || die "$IPFT not built"
MAN=$top_srcdir/tracer/ipft.8
USAGE=$top_srcdir/docs/usage.md

# The option lines of --help: "  -w, --write FILE" or "      --mask MASK".
"$IPFT" --help | grep -oE '^ +(-[[:alnum:]], )?--[a-z][a-z-]*' | tr -d ' ,' \
	| sed 's/^\(-[[:alnum:]]\)--/\1 --/' >"$T/help-options"
n=$(grep -c . "$T/help-options")
check "--help lists the options ($n)" [ "$n" -ge 25 ]

# Where each document names its options: the man page's tag lines (after
# .TP or .TQ, font escapes dropped), the first cell of usage.md's tables.
awk '/^\.T[PQ]/ { tag = 1; next } tag { print; tag = 0 }' "$MAN" \
	| sed 's/\\-/-/g; s/\\f[BIRP]//g' >"$T/man-tags"
grep '^| ' "$USAGE" | cut -d'|' -f2 >"$T/usage-cells"

# named OPTION FILE: FILE names OPTION as a word of its own.
named() {
	grep -qE -- "(^|[^-[:alnum:]])$1([^-[:alnum:]]|\$)" "$2"
}

while read -r short long; do
	[ -n "$long" ] || { long=$short; short=; }
	for o in $short $long; do
		named "$o" "$T/man-tags" || echo "$o is missing from tracer/ipft.8"
		named "$o" "$T/usage-cells" || echo "$o is missing from docs/usage.md"
	done
done <"$T/help-options" >"$T/missing"
check "ipft.8 and docs/usage.md document every option of --help: $(cat "$T/missing")" \
	[ ! -s "$T/missing" ]

grep -ohE -- '(^|[^-[:alnum:]])--[a-z][a-z-]*' "$T/man-tags" "$T/usage-cells" \
	| sed 's/^[^-]*//' | sort -u >"$T/documented"
while read -r o; do
	named "$o" "$T/help-options" || echo "$o"
done <"$T/documented" >"$T/unknown"
check "ipft.8 and docs/usage.md document no option that ipft lacks: $(cat "$T/unknown")" \
	[ ! -s "$T/unknown" ]
finish
