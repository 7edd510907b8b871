#!/bin/bash
# run-vm.sh VMLINUZ INITRD RESULTS
# Boots the kernel under QEMU TCG (no KVM needed) without any NIC: test
# traffic cannot leave the guest. Console -> stdout, ttyS1 -> RESULTS.
set -euo pipefail
kernel=$1 initrd=$2 results=$3
: "${VM_MEM:=1G}" "${VM_SMP:=2}" "${VM_CPU:=max}" "${VM_GUEST_TIMEOUT:=600}"
rm -f "$results"
exec timeout --foreground -k 10 $((VM_GUEST_TIMEOUT + 60)) qemu-system-x86_64 \
	-accel tcg -cpu "$VM_CPU" -m "$VM_MEM" -smp "$VM_SMP" \
	-nodefaults -nographic -no-reboot \
	-serial mon:stdio -serial "file:$results" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 oops=panic rcupdate.rcu_expedited=1 vmtest.timeout=$VM_GUEST_TIMEOUT" \
	${VM_QEMU_EXTRA:-}
