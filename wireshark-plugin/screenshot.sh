#!/bin/sh
# screenshot.sh - regenerate docs/screenshot-drop.png: the Wireshark GUI
# (under Xvfb) with the plugin from the build tree, showing the dropped
# datagram of samples/udp-drop.pcapng with its ipft tree expanded.
#
#   sh wireshark-plugin/screenshot.sh SRCDIR BUILDDIR [OUT.png]
#
# Needs Debian's xvfb, wireshark-qt, xdotool and imagemagick.  Run as root:
# Wireshark then runs as nobody, because as root it ignores personal plugins.
set -eu
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
out=$(realpath -m "${3:-$src/docs/screenshot-drop.png}")
for t in xvfb-run wireshark xdotool import; do
	command -v $t >/dev/null || { echo "screenshot.sh: $t missing (apt-get install xvfb wireshark-qt xdotool imagemagick)" >&2; exit 1; }
done
majmin=$(pkg-config --modversion wireshark | cut -d. -f1,2)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
install -D -m 0644 "$build/wireshark-plugin/.libs/ipft.so" \
	"$home/.local/lib/wireshark/plugins/$majmin/epan/ipft.so"
cp "$src/samples/udp-drop.pcapng" "$home/"
# Columns wide enough for the path, no start page, the layout of a fresh install.
mkdir -p "$home/.config/wireshark"
cat >"$home/.config/wireshark/preferences" <<'EOP'
gui.column.format: "No.", "%m", "Time", "%t", "Source", "%s", "Destination", "%d", "Protocol", "%p", "Length", "%L", "Info", "%i"
gui.update.enabled: FALSE
EOP
cat >"$home/.config/wireshark/recent" <<'EOR'
gui.bytes_view_show: FALSE
gui.geometry_main_upper_pane: 140
EOR
chmod -R a+rwX "$home"
cat >"$home/shot.sh" <<EOS
wireshark -r "$home/udp-drop.pcapng" -g 1 -o gui.geometry_main_width:1400 -o gui.geometry_main_height:900 2>"$home/ws.err" &
ws=\$!
for i in \$(seq 1 100); do
	win=\$(xdotool search --onlyvisible --name 'udp-drop' 2>/dev/null | head -1)
	[ -n "\$win" ] && break
	sleep 0.2
done
[ -n "\$win" ] || { echo "no Wireshark window" >&2; cat "$home/ws.err" >&2; kill \$ws; exit 1; }
xdotool windowsize \$win 1400 900 windowmove \$win 0 0
sleep 2
xdotool windowactivate --sync \$win 2>/dev/null || true
# Give the details pane the keyboard, collapse everything, select its last
# top-level line (the ipft tree: seventh, after comments, frame, Ethernet,
# IP, UDP and data) and expand it with all its events.
xdotool windowfocus \$win 2>/dev/null || true
xdotool mousemove 200 600 click 1
sleep 0.5
xdotool key ctrl+Left Home Down Down Down Down Down Down shift+Right
sleep 2
import -window root "$home/shot.png"
kill \$ws
EOS
chmod a+r "$home/shot.sh"
if [ "$(id -u)" = 0 ]; then as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"; else as_user=""; fi
$as_user env HOME="$home" XDG_RUNTIME_DIR="$home" xvfb-run -a -s "-screen 0 1400x900x24" sh "$home/shot.sh"
cp "$home/shot.png" "$out"
echo "screenshot.sh: wrote $out"
