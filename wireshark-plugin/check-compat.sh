#!/bin/sh
# check-compat.sh - build the plugin against another Debian's Wireshark and
# run its tshark tests there.  Debian 12 cannot install Debian 13's packages,
# so this debootstraps trixie (Wireshark 4.4) into a cache folder once and
# works in a chroot.
#
#   sh wireshark-plugin/check-compat.sh SRCDIR   (as root; make check-wireshark-compat)
#
# IPFT_CACHE (default /var/cache/ipft) keeps the chroot between runs;
# IPFT_COMPAT_SUITE picks the suite (default trixie).  Ends with
# "ws-compat: N passed, N failed"; exits non-zero on any failure.
set -eu

src=$(cd "${1:?usage: check-compat.sh SRCDIR}" && pwd)
suite=${IPFT_COMPAT_SUITE:-trixie}
cache=${IPFT_CACHE:-/var/cache/ipft}
root=$cache/$suite-root
mirror=$(sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list.d/*.sources \
	/etc/apt/sources.list 2>/dev/null | grep -v security | head -1)
mirror=${mirror:-http://deb.debian.org/debian}

fail() { echo "ws-compat: $*"; echo "ws-compat: 0 passed, 1 failed"; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap and chroot)"
command -v debootstrap >/dev/null || fail "debootstrap missing: apt-get install debootstrap"

if [ ! -x "$root/usr/bin/tshark" ]; then
	echo "ws-compat: debootstrapping $suite into $root (once; a few minutes)"
	rm -rf "$root.tmp"
	mkdir -p "$cache"
	DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase \
		--include=gcc,libc6-dev,make,pkg-config,wireshark-dev,tshark,libglib2.0-dev \
		"$suite" "$root.tmp" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1 ||
		{ tail -n 20 "$cache/debootstrap-$suite.log"; fail "debootstrap $suite failed"; }
	mv "$root.tmp" "$root"
fi

# A fresh copy of what the plugin and its tests need.
work=$root/ipft
rm -rf "$work"
mkdir -p "$work/src" "$work/build/wireshark-plugin/.libs" "$work/build/tests/plugin" \
	"$work/build/tests/pcapng"
(cd "$src" && tar cf - wireshark-plugin pcapng codec samples tests/lib.sh tests/plugin \
	tests/pcapng/pcapng-dump.c) |
	(cd "$work/src" && tar xf -)
printf '#define PACKAGE_VERSION "%s"\n' \
	"$(sed -n 's/^AC_INIT(\[ipft\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")" >"$work/build/config.h"
cat >"$work/build.sh" <<'EOS'
set -eu
cd /ipft
CF="-std=gnu11 -O2 -Wall -Wextra -Werror -I/ipft/src -I/ipft/build"
WS=$(pkg-config --cflags --libs wireshark)
gcc $CF -Wno-unused-parameter -fPIC -fvisibility=hidden -shared -o build/wireshark-plugin/.libs/ipft.so \
	src/wireshark-plugin/plugin.c src/wireshark-plugin/packet-ipft.c \
	src/wireshark-plugin/ipft-stats.c src/codec/ipft_format.c $WS -lwiretap
PCAPNG="src/pcapng/pcapng_opts.c src/pcapng/pcapng_writer.c src/pcapng/pcapng_reader.c"
gcc $CF -o build/tests/plugin/gen-malformed src/tests/plugin/gen-malformed.c $PCAPNG \
	src/codec/ipft_format.c
gcc $CF -o build/tests/pcapng/pcapng-dump src/tests/pcapng/pcapng-dump.c $PCAPNG \
	src/codec/ipft_format.c
EOS
mount --bind /proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
ver=$(chroot "$root" pkg-config --modversion wireshark)
echo "ws-compat: building the plugin against Wireshark $ver ($suite)"
chroot "$root" sh /ipft/build.sh || fail "the plugin does not build against Wireshark $ver"

passed=0 failed=0
for t in samples robustness; do
	if chroot "$root" env top_srcdir=/ipft/src top_builddir=/ipft/build TSHARK=tshark \
		WIRESHARK_MAJMIN="$(echo "$ver" | cut -d. -f1,2)" sh "/ipft/src/tests/plugin/$t.sh" \
		>"$cache/ws-compat-$t.log" 2>&1; then
		echo "PASS: plugin/$t.sh on $ver"
	else
		echo "FAIL: plugin/$t.sh on $ver"
		grep -E '^(FAIL|ERROR)' "$cache/ws-compat-$t.log" | head -20
		failed=$((failed + 1)) # counted even if the script died before its summary
	fi
	# Count the script's own checks: "N passed, N failed".
	set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$cache/ws-compat-$t.log")
	passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0}))
done
echo "ws-compat: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
