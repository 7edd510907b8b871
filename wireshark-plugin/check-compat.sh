#!/bin/sh
# check-compat.sh - build the plugin against other Debians' Wireshark and
# run its tshark tests there.  Debian 12 cannot install newer Debians'
# packages, so each suite is debootstrapped into a cache folder once and
# the work happens in a chroot: trixie (Debian 13, Wireshark 4.4) and
# testing (the newest Wireshark Debian ships; 4.6 in December 2026, the
# same as unstable's).
#
#   sh wireshark-plugin/check-compat.sh SRCDIR   (as root; make check-wireshark-compat)
#
# IPFT_CACHE (default /var/cache/ipft) keeps the chroots between runs
# (remove SUITE-root there to take a newer Wireshark); IPFT_COMPAT_SUITES
# picks the suites (default "trixie testing").  Prints one result line per
# suite and ends with "ws-compat: N passed, N failed" over all of them;
# exits non-zero on any failure.
set -eu

src=$(cd "${1:?usage: check-compat.sh SRCDIR}" && pwd)
suites=${IPFT_COMPAT_SUITES:-${IPFT_COMPAT_SUITE:-trixie testing}}
cache=${IPFT_CACHE:-/var/cache/ipft}
mirror=$(sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list.d/*.sources \
	/etc/apt/sources.list 2>/dev/null | grep -v security | head -1)
mirror=${mirror:-http://deb.debian.org/debian}

total_passed=0 total_failed=0
fail() { echo "ws-compat: $*"; echo "ws-compat: $total_passed passed, $((total_failed + 1)) failed"; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap and chroot)"
command -v debootstrap >/dev/null || fail "debootstrap missing: apt-get install debootstrap"

mounted=""
trap 'for m in $mounted; do umount "$m" 2>/dev/null || true; done' EXIT

# bootstrap SUITE ROOT: a minimal SUITE with a compiler and Wireshark's
# development files and tshark, once.  debootstrap installs the base; apt
# in the chroot installs Wireshark, since debootstrap's own resolver
# cannot follow virtual packages (unstable's libfalcosecurity needed one
# in December 2026).
bootstrap() {
	suite=$1 root=$2 log=$cache/debootstrap-$1.log
	[ ! -x "$root/usr/bin/tshark" ] || return 0
	echo "ws-compat: debootstrapping $suite into $root (once; a few minutes)"
	rm -rf "$root.tmp"
	mkdir -p "$cache"
	DEBIAN_FRONTEND=noninteractive debootstrap --variant=minbase \
		--include=gcc,libc6-dev,make,pkg-config,libglib2.0-dev \
		"$suite" "$root.tmp" "$mirror" >"$log" 2>&1 || { tail -n 20 "$log"; return 1; }
	mount --bind /proc "$root.tmp/proc"
	chroot "$root.tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends wireshark-dev tshark >>"$log" 2>&1 ||
		{ umount "$root.tmp/proc"; tail -n 20 "$log"; return 1; }
	chroot "$root.tmp" apt-get clean
	umount "$root.tmp/proc"
	mv "$root.tmp" "$root"
}

# check_suite SUITE: builds the plugin in SUITE's chroot and runs the
# sample and robustness tests there; adds the counts to the totals.
check_suite() {
	suite=$1 root=$cache/$1-root
	if ! bootstrap "$suite" "$root"; then
		echo "ws-compat: $suite: debootstrap failed: 0 passed, 1 failed"
		total_failed=$((total_failed + 1))
		return
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
		"$(sed -n 's/^AC_INIT(\[ipft\], \[\([^]]*\)\].*/\1/p' "$src/configure.ac")" \
		>"$work/build/config.h"
	cat >"$work/build.sh" <<'EOS'
set -eu
cd /ipft
CF="-std=gnu11 -O2 -Wall -Wextra -Werror -I/ipft/src -I/ipft/build"
WS=$(pkg-config --cflags --libs wireshark)
# Every source of the plugin and the codec; -z defs: a source left out
# fails here, not as a plugin tshark silently does not load.
gcc $CF -Wno-unused-parameter -fPIC -fvisibility=hidden -shared -Wl,-z,defs \
	-o build/wireshark-plugin/.libs/ipft.so src/wireshark-plugin/*.c src/codec/*.c \
	$WS -lwiretap
PCAPNG="src/pcapng/pcapng_opts.c src/pcapng/pcapng_writer.c src/pcapng/pcapng_reader.c"
gcc $CF -o build/tests/plugin/gen-malformed src/tests/plugin/gen-malformed.c $PCAPNG \
	src/codec/ipft_format.c src/codec/ipft_packed.c
gcc $CF -o build/tests/pcapng/pcapng-dump src/tests/pcapng/pcapng-dump.c $PCAPNG \
	src/codec/ipft_format.c src/codec/ipft_packed.c
EOS
	mount --bind /proc "$root/proc"
	mounted="$root/proc $mounted"
	ver=$(chroot "$root" pkg-config --modversion wireshark)
	echo "ws-compat: building the plugin against Wireshark $ver ($suite)"
	passed=0 failed=0
	if ! chroot "$root" sh /ipft/build.sh >"$cache/ws-compat-$suite-build.log" 2>&1; then
		cat "$cache/ws-compat-$suite-build.log"
		echo "FAIL: the plugin does not build against Wireshark $ver"
		failed=1
	else
		for t in samples robustness; do
			log=$cache/ws-compat-$suite-$t.log
			if chroot "$root" env top_srcdir=/ipft/src top_builddir=/ipft/build TSHARK=tshark \
				WIRESHARK_MAJMIN="$(echo "$ver" | cut -d. -f1,2)" \
				sh "/ipft/src/tests/plugin/$t.sh" >"$log" 2>&1; then
				echo "PASS: plugin/$t.sh on $ver"
			else
				echo "FAIL: plugin/$t.sh on $ver"
				grep -E '^(FAIL|ERROR)' "$log" | head -20
				failed=$((failed + 1)) # counted even if the script died before its summary
			fi
			# Count the script's own checks: "N passed, N failed".
			set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log")
			passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0}))
		done
	fi
	umount "$root/proc"
	mounted=${mounted#"$root/proc "}
	echo "ws-compat: $suite, Wireshark $ver: $passed passed, $failed failed"
	total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
}

for s in $suites; do
	check_suite "$s"
done
echo "ws-compat: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
