#!/bin/sh
# check-compat.sh - ipft-extcap against the newer Wireshark versions of
# the plugin's compat check (wireshark-plugin/check-compat.sh): in each of
# its Debian chroots (trixie: 4.4, testing: 4.6), tests/extcap/compat.sh
# runs the extcap built here (it needs only libc and libpcap) with that
# chroot's tshark.
#
#   sh extcap/check-compat.sh SRCDIR BUILDDIR   (as root; make check-extcap-compat)
#
# The chroots come from make check-wireshark-compat (IPFT_CACHE, default
# /var/cache/ipft).  Ends with "extcap-compat: N passed, N failed".
set -eu
src=$(cd "${1:?usage: check-compat.sh SRCDIR BUILDDIR}" && pwd)
build=$(cd "${2:?usage: check-compat.sh SRCDIR BUILDDIR}" && pwd)
cache=${IPFT_CACHE:-/var/cache/ipft}
suites=${IPFT_COMPAT_SUITES:-trixie testing}
total_passed=0 total_failed=0

fail() { echo "extcap-compat: $*"; echo "extcap-compat: 0 passed, 1 failed"; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (chroot)"
[ -x "$build/extcap/ipft-extcap" ] || fail "$build/extcap/ipft-extcap not built"

for suite in $suites; do
	root=$cache/$suite-root
	[ -x "$root/usr/bin/tshark" ] ||
		fail "no $suite chroot in $cache: make check-wireshark-compat makes it"
	work=$root/ipft-extcap
	rm -rf "$work"
	mkdir -p "$work/src/tests/extcap" "$work/build/extcap"
	cp "$src/tests/lib.sh" "$work/src/tests/"
	cp "$src/tests/extcap/compat.sh" "$work/src/tests/extcap/"
	cp "$build/extcap/ipft-extcap" "$work/build/extcap/"
	log=$cache/extcap-compat-$suite.log
	mount --bind /proc "$root/proc"
	chroot "$root" env top_srcdir=/ipft-extcap/src top_builddir=/ipft-extcap/build TSHARK=tshark \
		sh /ipft-extcap/src/tests/extcap/compat.sh >"$log" 2>&1 || true
	umount "$root/proc"
	grep -E '^(ok|FAIL|ERROR)' "$log"
	set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log")
	[ $# -eq 2 ] || set -- 0 1 # died before its summary
	total_passed=$((total_passed + $1)) total_failed=$((total_failed + $2))
done
echo "extcap-compat: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
