# plugin-lib.sh - run tshark with the ipft plugin from the build tree (sourced
# after tests/lib.sh).  tshark ignores personal plugin folders when run as
# root, so it runs as nobody with a private HOME holding the plugin.
# IPFT_PLUGIN_SO: a plugin built elsewhere (the sanitizer stage takes the
# regular build's: tshark cannot load an ASan-built one).
PLUGIN_SO=${IPFT_PLUGIN_SO:-$top_builddir/wireshark-plugin/.libs/ipft.so}
[ -f "$PLUGIN_SO" ] || die "$PLUGIN_SO not built"
# A tree configured without the plugin (the sanitizer build) knows no
# Wireshark version: the plugin folder is named after tshark's.
[ -n "${WIRESHARK_MAJMIN:-}" ] ||
	WIRESHARK_MAJMIN=$("$TSHARK" --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')
[ -n "$WIRESHARK_MAJMIN" ] || die "cannot tell the Wireshark version from $TSHARK --version"
mkdir -p "$T/home/.local/lib/wireshark/plugins/$WIRESHARK_MAJMIN/epan"
cp "$PLUGIN_SO" "$T/home/.local/lib/wireshark/plugins/$WIRESHARK_MAJMIN/epan/ipft.so"
chmod -R a+rX "$T"
if [ "$(id -u)" = 0 ]; then
	AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	AS_USER=""
fi
# tsp ARGS...: tshark with the plugin; files must be readable by nobody.
tsp() { $AS_USER env HOME="$T/home" "$TSHARK" "$@" 2>"$T/tsp.err"; }
# tsv ARGS...: tshark without any personal plugin.
tsv() { $AS_USER env HOME="$T/nohome" "$TSHARK" "$@" 2>/dev/null; }
# sample NAME: a copy of samples/NAME.pcapng that nobody can read.
sample() { cp "$top_srcdir/samples/$1.pcapng" "$T/$1.pcapng"; chmod a+r "$T/$1.pcapng"; echo "$T/$1.pcapng"; }
