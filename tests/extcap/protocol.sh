#!/bin/sh
# The extcap protocol calls of ipft-extcap, as Wireshark makes them, read
# back and checked: every sentence well formed; the dialog offering each
# option of `ipft --help` (but those the extcap decides) with its default
# and in its group's tab; the attach points of `ipft -l` on Reload;
# capture filters checked as tcpdump's libpcap checks them, without
# privileges; Wireshark's own parser (tshark -D) accepting it all; and
# make's install target putting it into Wireshark's extcap folder.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
. "$top_srcdir/tests/extcap/extcap-lib.sh"
[ -x "$IPFT" ] || die "$IPFT not built"
command -v tcpdump >/dev/null || die "tcpdump is missing (tests/setup.sh installs it)"

SENTENCE='^(extcap|interface|control|dlt|arg|value) (\{[a-z]+=[^{}]*\})+$'
# well_formed FILE: every line is one extcap sentence.
well_formed() { [ -s "$1" ] && ! grep -Evq "$SENTENCE" "$1"; }
# field NAME: the value of {NAME=...} on each line of stdin.
field() { sed -n "s/.*{$1=\([^}]*\)}.*/\1/p"; }

# ---- interfaces and link types -------------------------------------------
rc=0; xc --extcap-interfaces --extcap-version=4.0 >"$T/ifaces" 2>"$T/err" || rc=$?
check "--extcap-interfaces: exit 0, nothing on stderr" [ $rc -eq 0 ] && [ ! -s "$T/err" ]
check "--extcap-interfaces: well-formed sentences" well_formed "$T/ifaces"
check "--extcap-interfaces: ipft-extcap's version is ipft's" \
	[ "$(grep '^extcap ' "$T/ifaces" | field version)" = "$("$IPFT" --version | cut -d' ' -f2)" ]
check "--extcap-interfaces: the interfaces ipft and ipft-ssh" \
	[ "$(grep '^interface ' "$T/ifaces" | field value | tr '\n' ' ')" = "ipft ipft-ssh " ]
check "--extcap-interfaces: a toolbar log" grep -q '^control .*{role=logger}' "$T/ifaces"
for i in ipft ipft-ssh; do
	xc --extcap-interface $i --extcap-dlts >"$T/dlts.$i" 2>&1
	check "--extcap-dlts $i: one dlt sentence" \
		sh -c "[ \$(wc -l <'$T/dlts.$i') -eq 1 ] && grep -Eq '^dlt {number=[0-9]+}' '$T/dlts.$i'"
done

# ---- the dialog ------------------------------------------------------------
"$IPFT" --help >"$T/help"
# option NAME<TAB>its --help text, one line each
awk '/^  (-[a-zA-Z], )?--[a-z]/ { if (n) print n "\t" t; match($0, /--[a-z-]+/);
	n = substr($0, RSTART + 2, RLENGTH - 2); t = $0; next }
	/^      / && n { t = t " " $0; next } { if (n) print n "\t" t; n = "" }' "$T/help" |
	tr -s ' ' >"$T/help.options"
cut -f1 "$T/help.options" | grep -Evx 'write|output|trace-blocks|list|verbose|version|help' |
	sort >"$T/expected"
for i in ipft ipft-ssh; do
	c=$T/config.$i
	rc=0; xc --extcap-interface $i --extcap-config --ipft-path "$IPFT" >"$c" 2>"$T/err" || rc=$?
	check "--extcap-config $i: exit 0, nothing on stderr" [ $rc -eq 0 ] && [ ! -s "$T/err" ]
	check "--extcap-config $i: well-formed sentences" well_formed "$c"
	grep '^arg ' "$c" | field number >"$T/numbers"
	check "--extcap-config $i: arguments numbered 0, 1, 2, ..." \
		sh -c "[ \"\$(cat '$T/numbers')\" = \"\$(seq 0 \$((\$(wc -l <'$T/numbers') - 1)))\" ]"
	check "--extcap-config $i: every value belongs to a selector or radio argument" sh -c "
		for a in \$(grep '^value ' '$c' | sed 's/.*{arg=\([0-9]*\)}.*/\1/' | sort -u); do
			grep -Eq \"^arg {number=\$a}.*{type=(selector|radio)}\" '$c' || exit 1; done"
	grep '^arg ' "$c" | field call | sed 's/^--//' | sort >"$T/calls.$i"
	check "--extcap-config $i: each option of ipft --help but -w -o --trace-blocks -l -v -V -h" \
		sh -c "[ -z \"\$(comm -23 '$T/expected' '$T/calls.$i')\" ]"
	comm -23 "$T/expected" "$T/calls.$i"
	# Each ipft option's default and tab, against what ipft --help says.
	bad=$(grep '^arg ' "$c" | while read -r line; do
		name=$(echo "$line" | field call | sed 's/^--//')
		text=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$T/help.options")
		[ -n "$text" ] || continue
		def=$(echo "$line" | field default)
		[ -z "$def" ] || echo "$text" | grep -qF "default $def" || echo "$name: default $def"
		tab=$(echo "$line" | field group)
		grep -q "^$tab\b" "$T/help" || echo "$name: tab $tab"
	done)
	check "--extcap-config $i: defaults and tabs as ipft --help states them${bad:+ ($bad)}" \
		[ -z "$bad" ]
done
check "remote dialog: host required, port 22, sudo or not" sh -c "
	grep -q '{call=--remote-host}.*{required=true}' '$T/config.ipft-ssh' &&
	grep -q '{call=--remote-port}.*{default=22}.*{range=1,65535}' '$T/config.ipft-ssh' &&
	grep -q '{call=--remote-priv}.*{type=radio}' '$T/config.ipft-ssh'"
check "local dialog: snaplen 1 to 1024, default 256, in the Output tab" \
	grep -q '{call=--snaplen}.*{type=unsigned}.*{default=256}{range=1,1024}{group=Output}' \
		"$T/config.ipft"
"$IPFT" -l | sed -n 's/^backend \([^:]*\):.*/\1/p' >"$T/backends"
n=$(grep '{call=--backend}' "$T/config.ipft" | field number)
grep "^value {arg=$n}" "$T/config.ipft" | field value >"$T/offered"
check "local dialog: backends auto and each one ipft -l names" \
	[ "$(cat "$T/offered")" = "$(echo auto; cat "$T/backends")" ]

# ---- Reload: the attach points ---------------------------------------------
n=$(grep '{call=--attach-point}' "$T/config.ipft" | field number)
xc --extcap-interface ipft --extcap-config --extcap-reload-option attach-point \
	--ipft-path "$IPFT" >"$T/reload" 2>"$T/err"
# ipft -l as the extcap runs it, as the user: a user who cannot read
# tracefs gets the tracepoints without their system (kfree_skb, not
# skb:kfree_skb).
$AS_USER "$IPFT" -l | awk '$1 == "tracepoint" || $1 == "function" { print "^" $2 "$" }' >"$T/points"
field value <"$T/reload" >"$T/reloaded"
check "Reload attach-point: well-formed sentences" well_formed "$T/reload"
check "Reload attach-point: one value per attach point of ipft -l ($(wc -l <"$T/points"))" \
	cmp -s "$T/reloaded" "$T/points"
check "Reload attach-point: every value for the attach-point argument ($n)" \
	sh -c "! grep -qv '^value {arg=$n}' '$T/reload'"

# ---- capture filters ---------------------------------------------------------
for f in 'udp port 9' 'tcp and host 10.1.2.3 and not port 22' 'icmp6' 'vlan and udp' ''; do
	rc=0; out=$(xc --extcap-capture-filter "$f" --extcap-interface ipft 2>&1) || rc=$?
	check "valid filter '$f': no output, exit 0" [ -z "$out" ] && [ $rc -eq 0 ]
done
for f in 'tcp port' 'host 300.1.1.1' 'udp port 99999' 'nosuchkeyword' 'ip and ('; do
	out=$(xc --extcap-capture-filter "$f" --extcap-interface ipft-ssh 2>&1)
	want=$(tcpdump -d "$f" 2>&1 >/dev/null | tail -n 1 | sed 's/^tcpdump: //')
	check "invalid filter '$f': libpcap's message '$want'" [ "$out" = "$want" ]
done

# ---- bad calls ---------------------------------------------------------------
rc=0; xc --extcap-interface ipft --bogus --extcap-dlts >/dev/null 2>"$T/err" || rc=$?
check "an unknown option: exit 1, one line" \
	sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'unknown option --bogus' '$T/err'"
rc=0; xc --extcap-interface eth0 --extcap-config >/dev/null 2>"$T/err" || rc=$?
check "someone else's interface: exit 1, one line" [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ]

# ---- Wireshark's parser --------------------------------------------------------
tsx -D >"$T/D" 2>"$T/D.err"
cat "$T/D.err"
check "tshark -D lists ipft and ipft-ssh" sh -c \
	"grep -q '\. ipft (ipft: kernel packet paths (this host))' '$T/D' &&
	 grep -q '\. ipft-ssh (' '$T/D'"
check "tshark accepts every sentence (nothing on its stderr)" [ ! -s "$T/D.err" ]

# ---- make install --------------------------------------------------------------
# The folder make installs into, expanded (it may be given as ${libdir}/...).
dir=$(make -s -C "$top_builddir" --no-print-directory \
	--eval 'ipft-print-extcapdir: ; @echo $(extcapdir)' ipft-print-extcapdir)
configured=$("$top_builddir/config.status" --config)
case $configured in
*--with-wireshark-extcapdir=*)
	# Given by whoever configured (make distcheck installs under its prefix).
	given=$(printf '%s\n' "$configured" |
		sed -n "s/.*'--with-wireshark-extcapdir=\([^']*\)'.*/\1/p")
	check "configure took the extcap folder it was given ($given)" \
		[ "$(sed -n 's/^wsextcapdir = //p' "$top_builddir/Makefile")" = "$given" ]
	;;
*)
	want=$(pkg-config --variable=libdir wireshark)/wireshark/extcap
	check "configure chose Wireshark's extcap folder ($want)" [ "$dir" = "$want" ]
	;;
esac
make -s -C "$top_builddir" install-extcapPROGRAMS DESTDIR="$T/inst" >"$T/make.out" 2>&1
check "make install puts ipft-extcap there" [ -x "$T/inst$dir/ipft-extcap" ]
finish
