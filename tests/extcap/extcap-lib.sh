# extcap-lib.sh - tshark with ipft-extcap and the plugin from the build
# tree, as an unprivileged user (sourced after tests/lib.sh and
# tests/plugin/plugin-lib.sh, which sets up $T/home and AS_USER).
EXTCAP=$top_builddir/extcap/ipft-extcap
NETPEER=$top_builddir/tests/tracer/netpeer
[ -x "$EXTCAP" ] || die "$EXTCAP not built"

# Wireshark 4.1 and newer read a personal extcap folder; 4.0 reads only
# the one WIRESHARK_EXTCAP_DIR names (it ignores it when run as root).
XDIR=$T/home/.local/lib/wireshark/extcap
mkdir -p "$XDIR"
cp "$EXTCAP" "$XDIR/ipft-extcap"
chmod -R a+rwX "$T/home"
if $AS_USER env HOME="$T/home" "$TSHARK" -G folders 2>/dev/null | grep -q '^Personal Extcap path'; then
	XENV=""
else
	XENV="WIRESHARK_EXTCAP_DIR=$XDIR"
fi

# tsx ARGS...: tshark as the user, with the extcap and the plugin.
tsx() { $AS_USER env HOME="$T/home" $XENV "$TSHARK" "$@"; }
# xc ARGS...: ipft-extcap as the user.
xc() { $AS_USER env HOME="$T/home" "$XDIR/ipft-extcap" "$@"; }

# ipft_with_caps DIR: a copy of ipft at DIR/ipft that nobody's group may
# run, with what make install-capabilities sets (the same script).
ipft_with_caps() {
	mkdir -p "$1"
	chmod 0755 "$1"
	cp "$IPFT" "$1/ipft"
	sh "$top_srcdir/extcap/install-capabilities.sh" "$1/ipft" nogroup 2>"$T/caps.out" ||
		{ cat "$T/caps.out"; die "install-capabilities.sh failed"; }
}
