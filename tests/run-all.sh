#!/bin/sh
# run-all.sh - the whole ipft test suite, as CI runs it (.ci/run).
#
# Installs what is missing and builds (tests/setup.sh), then runs, in order:
#   check       make check: unit tests, pcapng/tshark round trips, live
#               tracing in network namespaces, the plugin under tshark, filters
#   sanitizers  the user-space tests again, built with ASan + UBSan
#   distcheck   make distcheck (the release tarball builds and passes)
#   vm          make check-vm: function backends in Debian kernels under QEMU
#   ws-compat   make check-wireshark-compat, check-extcap-compat: the plugin and
#               the extcap on Wireshark 4.4 and 4.6 (Debian chroots)
# and ends with "N passed, N failed, N skipped"; exits non-zero on any failure.
# IPFT_STAGES="check vm" runs a subset.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${IPFT_BUILD:-$top/build}
stages=${IPFT_STAGES:-check sanitizers distcheck vm ws-compat}
passed=0 failed=0 skipped=0 failures=""

add_counts() { # stage pass fail skip
	passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + $4))
	[ "$3" -eq 0 ] || failures="$failures $1"
	echo "--- $1: $2 passed, $3 failed, $4 skipped"
}

# Counts from an automake test-suite.log summary.
count_log() { # stage logfile rc
	if [ ! -f "$2" ]; then add_counts "$1" 0 1 0; return; fi
	p=$(sed -n 's/^# PASS: *//p' "$2" | head -1)
	f=$(sed -n 's/^# FAIL: *//p' "$2" | head -1)
	e=$(sed -n 's/^# ERROR: *//p' "$2" | head -1)
	x=$(sed -n 's/^# XPASS: *//p' "$2" | head -1)
	s=$(sed -n 's/^# SKIP: *//p' "$2" | head -1)
	f=$(( ${f:-0} + ${e:-0} + ${x:-0} ))
	# A non-zero make with no failing test (a build error) still fails.
	[ "$3" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	add_counts "$1" "${p:-0}" "$f" "${s:-0}"
	[ "$f" -eq 0 ] || grep -E '^(FAIL|ERROR|XPASS):' "$2" | head -20
}

run_stage() { # stage command...
	st=$1; shift
	echo "=== $st: $*"
	"$@"
}

if ! sh "$top/tests/setup.sh"; then
	echo "setup failed"
	echo "0 passed, 1 failed"
	exit 1
fi

for st in $stages; do
	case $st in
	check)
		# The VM tests are a stage of their own below (make check
		# would run them too).
		run_stage check make -C "$build" -s -j2 check IPFT_NO_VM=1 >"$build/check.out" 2>&1
		rc=$?
		tail -n 40 "$build/check.out"
		count_log check "$build/test-suite.log" $rc
		;;
	sanitizers)
		asan=$build-asan
		mkdir -p "$asan"
		( cd "$asan" &&
		  { [ -f Makefile ] || "$top/configure" -q --disable-wireshark-plugin \
			CC=clang \
			CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
			LDFLAGS="-fsanitize=address,undefined"; } &&
		  make -s -j2 ) >"$asan/build.out" 2>&1 || { cat "$asan/build.out"; add_counts sanitizers 0 1 0; continue; }
		# tshark cannot load an ASan-built plugin: the tests read the
		# sanitized tracer's files with the check stage's plugin.
		# An ASan-built ipft loads an extension (-e) in about a minute:
		# libbpf's buffers grow by realloc, which ASan always copies.
		run_stage sanitizers env IPFT_PLUGIN_SO="$build/wireshark-plugin/.libs/ipft.so" IPFT_START_WAIT=180 \
			make -C "$asan" -s -j2 check-sanitizers >"$asan/check.out" 2>&1
		rc=$?
		tail -n 20 "$asan/check.out"
		count_log sanitizers "$asan/test-suite.log" $rc
		;;
	distcheck)
		if run_stage distcheck make -C "$build" -s distcheck IPFT_NO_VM=1 >"$build/distcheck.out" 2>&1; then
			tail -n 5 "$build/distcheck.out"; add_counts distcheck 1 0 0
		else
			tail -n 60 "$build/distcheck.out"; add_counts distcheck 0 1 0
		fi
		;;
	vm)
		if ! grep -q '^check-vm:' "$build/Makefile"; then
			# Not a skip of a test that exists: the function backends and
			# their QEMU tests (tests/vm) are not in this tree yet.
			echo "=== vm: no tests/vm in this tree (function backends not built yet); nothing run"
			continue
		fi
		run_stage vm make -C "$build" -s check-vm >"$build/vm.out" 2>&1
		rc=$?
		tail -n 40 "$build/vm.out"
		# check-vm runs several VM suites (smoke, filter, ...): add them up.
		line=$(grep -E '^vm: [0-9]+ passed, [0-9]+ failed' "$build/vm.out" |
			awk '{ p += $2; f += $4; s += $6 } END { if (NR) print p, f, s }')
		if [ -n "$line" ]; then
			set -- $(echo "$line" | sed 's/[^0-9 ]//g')
			f=$2; [ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
			add_counts vm "$1" "$f" "${3:-0}"
		else
			add_counts vm 0 1 0
		fi
		;;
	ws-compat)
		# The plugin, then the extcap, in the chroots the first one makes.
		for target in check-wireshark-compat check-extcap-compat; do
			run_stage ws-compat make -C "$build" -s $target >"$build/$target.out" 2>&1
			rc=$?
			tail -n 40 "$build/$target.out"
			line=$(grep -E '^[a-z-]*:? ?[0-9]+ passed, [0-9]+ failed' "$build/$target.out" | tail -1)
			if [ -n "$line" ]; then
				set -- $(echo "$line" | sed 's/[^0-9 ]//g')
				f=$2; [ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
				add_counts "$target" "$1" "$f" "${3:-0}"
			elif [ $rc -eq 0 ]; then add_counts "$target" 1 0 0
			else add_counts "$target" 0 1 0
			fi
		done
		;;
	*)
		echo "unknown stage '$st'"; add_counts "$st" 0 1 0 ;;
	esac
done

[ -z "$failures" ] || echo "failed stages:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
