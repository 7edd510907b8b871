#!/bin/sh
# ipft-extcap against another Wireshark (run by extcap/check-compat.sh in
# a Debian chroot, without ipft): the protocol calls are well formed,
# tshark finds the extcap in the personal extcap folder (Wireshark 4.1+)
# and its parser accepts every sentence, capture filters are checked, and
# a capture that cannot start shows the extcap's one line.
set -u
. "$top_srcdir/tests/lib.sh"
EXTCAP=$top_builddir/extcap/ipft-extcap
[ -x "$EXTCAP" ] || die "$EXTCAP missing"
if [ "$(id -u)" = 0 ]; then AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"; else AS_USER=""; fi
mkdir -p "$T/home/.local/lib/wireshark/extcap"
cp "$EXTCAP" "$T/home/.local/lib/wireshark/extcap/ipft-extcap"
chmod -R a+rwX "$T/home"
ver=$("$TSHARK" --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9.]*[0-9]\).*/\1/p')
tsx() { $AS_USER env HOME="$T/home" "$TSHARK" "$@"; }
xc() { $AS_USER env HOME="$T/home" "$T/home/.local/lib/wireshark/extcap/ipft-extcap" "$@"; }
SENTENCE='^(extcap|interface|control|dlt|arg|value) (\{[a-z]+=[^{}]*\})+$'
well_formed() { [ -s "$1" ] && ! grep -Evq "$SENTENCE" "$1"; }

xc --extcap-interfaces --extcap-version="${ver%.*}" >"$T/ifaces"
check "Wireshark $ver: --extcap-interfaces well formed" well_formed "$T/ifaces"
for i in ipft ipft-ssh; do
	xc --extcap-interface $i --extcap-config >"$T/config.$i" 2>"$T/err"
	check "Wireshark $ver: --extcap-config $i well formed, nothing on stderr" \
		sh -c "well() { [ -s \"\$1\" ] && ! grep -Evq '$SENTENCE' \"\$1\"; }; well '$T/config.$i' && [ ! -s '$T/err' ]"
done
tsx -D >"$T/D" 2>"$T/D.err"
cat "$T/D.err"
check "Wireshark $ver: tshark -D finds ipft and ipft-ssh in the personal extcap folder" \
	sh -c "grep -q '\. ipft (' '$T/D' && grep -q '\. ipft-ssh (' '$T/D'"
check "Wireshark $ver: tshark accepts every sentence (nothing on its stderr)" [ ! -s "$T/D.err" ]
out=$(xc --extcap-capture-filter 'udp port 9' --extcap-interface ipft)
check "Wireshark $ver: a valid filter, no output" [ -z "$out" ]
out=$(xc --extcap-capture-filter 'udp port' --extcap-interface ipft)
check "Wireshark $ver: an invalid one, libpcap's message" [ "$out" = "can't parse filter expression: syntax error" ]
mkdir -m 0777 "$T/out"
tsx -i ipft -o extcap.ipft.ipftpath:/nonexistent/ipft -a duration:10 -w "$T/out/x.pcapng" \
	>/dev/null 2>"$T/cap.err"
cat "$T/cap.err"
check "Wireshark $ver: a capture that cannot start shows the extcap's one line" \
	grep -q 'cannot run ipft (/nonexistent/ipft): No such file or directory' "$T/cap.err"
finish
