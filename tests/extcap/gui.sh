#!/bin/sh
# Wireshark's GUI (Qt, under Xvfb) with ipft-extcap, as an unprivileged
# user: it asks the extcap for its interfaces, dialogs and link types and
# lists both interfaces; the gear of each opens its options dialog, where
# Reload lists ipft's attach points; a capture started with -k shows the
# datagrams with their kernel paths (the plugin) and the counters in the
# status bar, and Stop (Ctrl+E) lets ipft end the stream: the file ends
# with the statistics block; an ipft without capabilities gives the error
# dialog its one line.  Screenshots of each step are taken; with
# IPFT_SCREENSHOTS=DIR (make extcap-screenshots) they are copied there.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
. "$top_srcdir/tests/extcap/extcap-lib.sh"
need_root
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF (CONFIG_DEBUG_INFO_BTF)"
[ -x "$IPFT" ] && [ -x "$NETPEER" ] || die "ipft or netpeer not built"
for t in xvfb-run xdotool import wireshark; do
	command -v $t >/dev/null ||
		die "$t is missing: apt-get install xvfb xauth xdotool imagemagick wireshark-qt (tests/setup.sh)"
done
make_pair "ixg$$"
ipft_with_caps "$T/bin"
O=$T/out
mkdir -m 0777 "$O"

# Wireshark calls the extcap through this, which notes each call.
mv "$XDIR/ipft-extcap" "$T/bin/ipft-extcap"
cat >"$XDIR/ipft-extcap" <<EOF
#!/bin/sh
echo "\$*" >>"$O/calls"
exec "$T/bin/ipft-extcap" "\$@"
EOF
chmod 0755 "$XDIR/ipft-extcap"
# Only extcap interfaces in the list (8 = External Capture), columns wide
# enough for the path, no update check.
mkdir -p "$T/home/.config/wireshark"
cat >"$T/home/.config/wireshark/preferences" <<'EOF'
gui.interfaces_hidden_types: 0,1,2,3,4,5,6,7,9
gui.column.format: "No.", "%m", "Time", "%t", "Source", "%s", "Destination", "%d", "Protocol", "%p", "Info", "%i"
gui.update.enabled: FALSE
EOF
echo "extcap.ipft.ipftpath: $T/bin/ipft" >>"$T/home/.config/wireshark/preferences"
cp "$IPFT" "$T/bin/ipft-plain"
chmod 0755 "$T/bin/ipft-plain"
chmod -R a+rwX "$T/home"

cat >"$O/gui.sh" <<EOF
set -u
O=$O
IPFT_COPY=$T/bin/ipft
IPFT_PLAIN=$T/bin/ipft-plain
NS_PATH=/run/netns/$NS_A
EOF
cat >>"$O/gui.sh" <<'EOF'
# window NAME: the id of the visible window whose title matches NAME.
window() {
	for i in $(seq 1 150); do
		w=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1)
		[ -n "$w" ] && { echo "$w"; return 0; }
		sleep 0.2
	done
	echo "no window '$1'" >>"$O/steps"
	return 1
}
step() { echo "$*" >>"$O/steps"; }
# quit PID: Wireshark, even with a dialog open.
quit() { kill "$1"; sleep 2; kill -9 "$1" 2>/dev/null; wait "$1"; }
# main: Wireshark's main window, its id in win, its pid in ws.
main() {
	wireshark "$@" 2>>"$O/ws.err" &
	ws=$!
	win=$(window 'The Wireshark Network Analyzer|Capturing from') || exit 1
	xdotool windowsize "$win" 1000 560 windowmove "$win" 0 0
	sleep 3
}

# Seen once on a fresh machine: the first Wireshark could not connect to
# the display xvfb-run had just started.  Wait until it takes a client.
for i in $(seq 1 50); do
	xdotool getdisplaygeometry >/dev/null 2>&1 && break
	[ $i -lt 50 ] || step "the X server on $DISPLAY takes no client"
	sleep 0.2
done
main
import -window "$win" "$O/interfaces.png"
step listed
# The gear in front of each interface opens its options dialog; in it
# the tab "What to trace", Reload beside "Attach point", the list.
xdotool mousemove --window "$win" 151 237 click 1
dlg=$(window 'Interface Options: ipft: kernel packet paths .this host.') && step local dialog
sleep 1
xdotool mousemove --window "$dlg" 139 26 click 1
sleep 1
xdotool mousemove --window "$dlg" 500 154 click 1
sleep 2
xdotool mousemove --window "$dlg" 290 154 click 1
sleep 1
xdotool key Down Down Return
sleep 1
import -window "$dlg" "$O/options-local.png"
quit $ws

main
xdotool mousemove --window "$win" 151 255 click 1
dlg=$(window 'Interface Options: ipft: kernel packet paths .remote host over SSH.') && step remote dialog
sleep 1
import -window "$dlg" "$O/options-remote.png"
quit $ws

# A capture, stopped with Ctrl+E.
main -k -i ipft -o "extcap.ipft.netns:$NS_PATH" -o "extcap.ipft.logfile:$O/capture.log" \
	-w "$O/gui.pcapng"
xdotool windowsize "$win" 1200 620
step capturing
for i in $(seq 1 300); do [ -f "$O/sent" ] && break; sleep 0.1; done
sleep 3
import -window "$win" "$O/capture.png"
xdotool mousemove --window "$win" 600 200 click 1 key ctrl+e
for i in $(seq 1 100); do grep -q 'ipft-extcap: ipft ended' "$O/capture.log" && break; sleep 0.2; done
sleep 2
step stopped
quit $ws

# An ipft without capabilities: Wireshark's error dialog.
main -k -i ipft -o "extcap.ipft.ipftpath:$IPFT_PLAIN"
sleep 4
import -window root -crop 1000x560+0+0 "$O/no-privileges.png"
step refused
quit $ws
EOF
chmod a+r "$O/gui.sh"

$AS_USER env HOME="$T/home" XDG_RUNTIME_DIR="$T/home" $XENV \
	xvfb-run -a -s "-screen 0 1280x800x24" sh "$O/gui.sh" >"$O/xvfb.out" 2>&1 &
xpid=$!
add_cleanup "kill $xpid"
i=0
until grep -q 'ipft: tracing' "$O/capture.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 $xpid 2>/dev/null; then
		cat "$O/steps" "$O/xvfb.out" "$O"/ws*.err 2>/dev/null
		die "the GUI capture did not start"
	fi
	sleep 0.1
done
ip netns exec "$NS_A" "$NETPEER" udp "$IP_B" 9 3
touch "$O/sent"
i=0; while kill -0 $xpid 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
cat "$O/steps"

check "Wireshark asked for the interfaces" grep -q -- '^--extcap-interfaces' "$O/calls"
for i in ipft ipft-ssh; do
	check "Wireshark asked for $i's dialog and link type" sh -c \
		"grep -q -- '^--extcap-config --extcap-interface $i\$' '$O/calls' &&
		 grep -q -- '^--extcap-dlts --extcap-interface $i\$' '$O/calls'"
done
check "the interface list shows them (screenshot)" [ -s "$O/interfaces.png" ]
check "the gear opens ipft's options dialog" grep -q 'local dialog' "$O/steps"
check "the gear opens ipft-ssh's options dialog" grep -q 'remote dialog' "$O/steps"
check "wireshark -k -i ipft captures" grep -q -- '^--capture --extcap-interface ipft ' "$O/calls"
check "with the toolbar's control pipes" grep -q -- '--extcap-control-out ' "$O/calls"
chmod a+r "$O/gui.pcapng" 2>/dev/null
n=$(tsp -r "$O/gui.pcapng" -Y 'udp.dstport == 9 && ipft.drop_reason == "NO_SOCKET"' | grep -c .)
check "the capture holds the 3 dropped datagrams ($n)" [ "$n" -eq 3 ]
check "Stop let ipft end the stream with its statistics block" sh -c \
	"$AS_USER env HOME=$T/home $TSHARK -r '$O/gui.pcapng' -Y ipft.block.key 2>/dev/null |
	 grep -q 'ipft statistics: .*packets_written='"
check "ipft-extcap passed the stop on" grep -q 'ipft-extcap: stopping (signal 15)' "$O/capture.log"
check "Reload asked the extcap for the attach points" \
	grep -q -- '--extcap-reload-option attach-point' "$O/calls"
check "the capture without capabilities ran, and stopped (screenshot of the dialog)" \
	grep -q 'refused' "$O/steps"

if [ -n "${IPFT_SCREENSHOTS:-}" ]; then
	for s in interfaces options-local options-remote capture no-privileges; do
		cp "$O/$s.png" "$IPFT_SCREENSHOTS/extcap-$s.png"
	done
	echo "screenshots in $IPFT_SCREENSHOTS"
fi
finish
