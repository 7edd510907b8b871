#!/bin/bash
# run.sh GUEST_TEST [HOST_CHECK]
# For each Debian suite in $VM_KERNELS: fetch its kernel, build an initramfs
# holding $IPFT, $NETPEER, guest/lib.sh and GUEST_TEST (run as /test.sh),
# boot it under QEMU TCG, and count the RESULT lines the guest sends over its
# second UART. Files the guest writes to /mnt/host (a 9p share) land in
# $VM_OUT/<suite>/; HOST_CHECK, if given, is then run on the host as
# "HOST_CHECK DIR SUITE" and its RESULT lines are counted too.
# $VM_EXTRA_FILES ("src:/dest" words) adds files to the initramfs.
# What it prints of each suite it also keeps in $VM_OUT/report-<suite>.txt
# (tests/vm/kernel-table.sh makes the table of kernels from them).
# Prints "vm: N passed, N failed, N skipped"; exits 1 if anything failed.
# A SKIP is accepted only with a reason the guest proved (e.g. no FPROBE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
guest_test=$(realpath "$1")
host_check=${2:+$(realpath "$2")}
: "${IPFT:?set IPFT to the ipft binary for the guest}"
: "${NETPEER:?set NETPEER to the netpeer binary for the guest}"
# Debian 11's 5.10, 12's 6.1 (no FPROBE) and its backported 6.12, and the
# newest Debian has (sid or experimental): tests/vm/fetch-kernel.sh.
: "${VM_KERNELS:=bullseye bookworm bookworm-backports newest}"
: "${VM_CACHE:=/var/cache/ipft/vm}"
: "${VM_OUT:=$PWD/vm-out}"
: "${VM_MODULES:=veth virtio_pci 9p 9pnet_virtio}"
export VM_GUEST_TIMEOUT=${VM_GUEST_TIMEOUT:-900}
mkdir -p "$VM_OUT"
VM_OUT=$(cd "$VM_OUT" && pwd)
rm -f "$VM_OUT"/report-*.txt # a previous run's kernels are not this one's

for tool in qemu-system-x86_64 cpio /bin/busybox; do
	if ! command -v $tool >/dev/null; then
		echo "run.sh: $tool is missing (apt-get install qemu-system-x86 cpio busybox-static)" >&2
		exit 99
	fi
done

pass=0 fail=0 skip=0
report=/dev/null
say() { # a line to stdout and to this suite's report
	echo "$*"
	echo "$*" >>"$report"
}
oops_lines() { # FILE MAX: a kernel oops's first lines in a console log
	grep -a -m "$2" -E 'BUG:|Oops|RIP:|Kernel panic|WARNING:' "$1" || true
}
# RESULTS CONSOLE: why a boot is tried once more, or nothing.  A kernel
# that stopped before our /init never ran ipft.  One that crashed (its
# console shows an oops or a panic) before the test said how it ended may
# have met TCG's race with the kernel's own text patching (an int3 oops in
# code ipft never touches, docs/kernels.md): booted again, a crash that
# ipft causes comes again and fails the suite.
retry_reason() {
	if ! grep -aq '^INFO boot_s=' "$1" 2>/dev/null; then
		echo "the kernel stopped before /init ran"
	elif ! grep -aq '^TEST_EXIT' "$1" && grep -aqE 'Oops|Kernel panic|BUG:' "$2"; then
		echo "the kernel crashed before the test ended"
	fi
}
count() { # count RESULT lines on stdin, echoing them
	while IFS= read -r line; do
		say "  $line"
		case $line in
		*status=PASS*) pass=$((pass + 1)) ;;
		*status=SKIP*) skip=$((skip + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	done
}

for suite in $VM_KERNELS; do
	report=$VM_OUT/report-$suite.txt
	: >"$report"
	t0=$(date +%s%N)
	if ! kdir=$("$here/fetch-kernel.sh" "$suite" "$VM_CACHE"); then
		say "FAIL $suite: cannot fetch the kernel"
		fail=$((fail + 1))
		continue
	fi
	t1=$(date +%s%N)
	share=$VM_OUT/$suite
	rm -rf "$share"
	mkdir -p "$share"
	initrd=$VM_OUT/initrd-$suite.gz
	if ! VM_FILES="$IPFT:/bin/ipft $NETPEER:/bin/netpeer $here/guest/lib.sh:/lib.sh $guest_test:/test.sh${VM_EXTRA_FILES:+ $VM_EXTRA_FILES}" \
		"$here/mkinitramfs.sh" "$kdir" "$initrd" $VM_MODULES; then
		say "FAIL $suite: cannot build the initramfs"
		fail=$((fail + 1))
		continue
	fi
	t2=$(date +%s%N)
	results=$VM_OUT/results-$suite.txt
	console=$VM_OUT/console-$suite.log
	# A boot that retry_reason() names is tried once more; the report
	# keeps what the first one said, and its files.
	for boot in 1 2; do
		VM_QEMU_EXTRA="-virtfs local,path=$share,mount_tag=host,security_model=none,id=host" \
			"$here/run-vm.sh" "$kdir/vmlinuz" "$initrd" "$results" >"$console" 2>&1 || true
		why=$(retry_reason "$results" "$console")
		if [ -z "$why" ] || [ $boot = 2 ]; then
			break
		fi
		say "  INFO boot $boot: $why (console-$suite-boot$boot.log):"
		mv "$console" "$VM_OUT/console-$suite-boot$boot.log"
		oops_lines "$VM_OUT/console-$suite-boot$boot.log" 4 | sed 's/^/    /' | tee -a "$report"
		grep -a '^RESULT' "$results" 2>/dev/null | sed 's/^/    boot 1: /' | tee -a "$report" || true
		rm -rf "$share-boot1"
		mv "$share" "$share-boot1"
		mkdir -p "$share"
	done
	t3=$(date +%s%N)
	kver=$(basename "$(ls -d "$kdir"/lib/modules/* "$kdir"/usr/lib/modules/* 2>/dev/null | head -1)")
	say "== $suite: kernel $kver; fetch $(((t1 - t0) / 1000000)) ms, initramfs $(((t2 - t1) / 1000000)) ms, VM $(((t3 - t2) / 1000000)) ms"
	# What the kernel was built with, for docs/kernels.md.
	config=$(cat "$kdir"/boot/config-* "$kdir"/usr/lib/modules/*/config 2>/dev/null |
		grep -E '^CONFIG_(DEBUG_INFO_BTF_MODULES|FPROBE|X86_KERNEL_IBT)=' | sed 's/^CONFIG_//' | tr '\n' ' ' || true)
	say "  INFO config: ${config:-no DEBUG_INFO_BTF_MODULES, FPROBE or X86_KERNEL_IBT}"
	while IFS= read -r line; do say "  $line"; done < <(grep -a '^INFO' "$results" 2>/dev/null || true)
	count < <(grep -a '^RESULT' "$results" 2>/dev/null || true)
	if ! grep -aq '^TEST_EXIT rc=0' "$results" 2>/dev/null; then
		say "  FAIL $suite: $(grep -a '^TEST_EXIT' "$results" 2>/dev/null || echo 'no TEST_EXIT line: the VM crashed or hung'); console:"
		tail -20 "$console" | sed 's/^/    /'
		# A kernel's oops scrolls its first lines out of that tail.
		oops_lines "$console" 8 | sed 's/^/    first: /'
		fail=$((fail + 1))
	fi
	if [ -n "$host_check" ]; then
		count < <("$host_check" "$share" "$suite" 2>&1 || echo "RESULT test=host-check status=FAIL exit=$?")
	fi
done
echo "vm: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
