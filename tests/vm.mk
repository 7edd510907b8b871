# tests of the vm area: ipft in Debian kernels booted under QEMU TCG.
# `make check-vm`; `make check` runs it too, after the other tests (it
# downloads kernels into $VM_CACHE, default /var/cache/ipft/vm, and boots
# them: Debian's 5.10, 6.1, 6.12 and the newest it ships, VM_KERNELS of
# tests/vm/run.sh; about 18 minutes on a quiet 2-core machine).
# IPFT_NO_VM=1 on make's command line leaves it out of `make check` and
# `make distcheck`: CI (tests/run-all.sh) runs it once, as its own stage.
ipft_vm_scripts = tests/vm/run.sh tests/vm/run-vm.sh tests/vm/fetch-kernel.sh \
	tests/vm/mkinitramfs.sh tests/vm/init tests/vm/guest/lib.sh tests/vm/guest/smoke.sh \
	tests/vm/guest/bench.sh tests/vm/guest/collect.sh tests/vm/guest/tunnel.sh \
	tests/vm/guest/trigger.sh tests/vm/guest/lineage.sh \
	tests/vm/host-check-smoke.sh tests/vm/kernel-table.sh tests/vm/kernel-table.awk
EXTRA_DIST += $(ipft_vm_scripts)
CLEANFILES += tests/vm/ipft-vm tests/vm/netpeer-static

# ipft for the guest: libbpf, libelf and zlib linked in statically (the
# guests' kernels, our libbpf); libpcap stays dynamic because
# Debian has no static libsystemd for libpcap.a; mkinitramfs.sh copies the
# shared libraries it needs (ldd).
tests/vm/ipft-vm: $(tracer_ipft_OBJECTS) tracer/output/libipftout.la pcapng/libipftpcapng.la \
		codec/libipftcodec.la
	@$(MKDIR_P) tests/vm
	$(AM_V_CCLD)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(tracer_ipft_OBJECTS) tracer/output/.libs/libipftout.a \
		pcapng/.libs/libipftpcapng.a codec/.libs/libipftcodec.a \
		-Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic $(LIBPCAP_LIBS)

tests/vm/netpeer-static: $(top_srcdir)/tests/tracer/netpeer.c
	@$(MKDIR_P) tests/vm
	$(AM_V_CC)$(CC) $(CFLAGS) -static -o $@ $(top_srcdir)/tests/tracer/netpeer.c

# collect.sh loads the sample extension gso.bpf.o (-e) in the guest;
# lineage.sh runs nft there ($(NFT), found by configure, with its shared
# libraries; tests/setup.sh installs nftables).
# Last, the table of kernels, features and backends from what both suites
# measured (check-vm-filter runs first): printed and kept in
# tests/vm/out/kernels.md, also when a test failed (docs/kernels.md).
check-vm: tests/vm/ipft-vm tests/vm/netpeer-static tests/pcapng/pcapng-dump \
		samples/extensions/gso.bpf.o
	IPFT=$(abs_top_builddir)/tests/vm/ipft-vm NETPEER=$(abs_top_builddir)/tests/vm/netpeer-static \
	VM_OUT=$(abs_top_builddir)/tests/vm/out PCAPNG_DUMP=$(abs_top_builddir)/tests/pcapng/pcapng-dump \
	VM_EXTRA_FILES="$(top_srcdir)/tests/vm/guest/collect.sh:/collect.sh $(top_srcdir)/tests/vm/guest/tunnel.sh:/tunnel.sh \
		$(top_srcdir)/tests/vm/guest/trigger.sh:/trigger.sh \
		$(top_srcdir)/tests/vm/guest/lineage.sh:/lineage.sh $(NFT):/bin/nft \
		$(abs_top_builddir)/samples/extensions/gso.bpf.o:/gso.bpf.o" \
	VM_MODULES="veth virtio_pci 9p 9pnet_virtio ip_gre crc32c_generic? nft_dup_ipv4" \
		$(top_srcdir)/tests/vm/run.sh $(top_srcdir)/tests/vm/guest/smoke.sh \
		$(top_srcdir)/tests/vm/host-check-smoke.sh; rc=$$?; \
	$(top_srcdir)/tests/vm/kernel-table.sh $(abs_top_builddir)/tests/vm/out \
		>$(abs_top_builddir)/tests/vm/out/kernels.md && \
		cat $(abs_top_builddir)/tests/vm/out/kernels.md; exit $$rc

# What the function backends cost in the guests: ipft's start-up phases,
# attach and detach of every function, events per second
# (docs/performance.md).  Minutes per kernel.  BENCH_BACKENDS="kprobe-multi
# kprobe" narrows the backends (fentry takes the longest), VM_KERNELS the
# kernels; BENCH_BASE=PATH adds another build's tests/vm/ipft-vm, run for
# a backend named with "@base" (kprobe-multi@base), and BENCH_DATAGRAMS="0"
# sends nothing (start and stop only; default "2000 20000", two bursts).
# BENCH_IPFT_ARGS: options for every ipft run (e.g. "-m 0xdead": a filter
# that refuses every packet, for what a refused hit costs: hit_ns).
bench-vm: tests/vm/ipft-vm tests/vm/netpeer-static
	@$(MKDIR_P) tests/vm/bench-out
	echo '$(BENCH_BACKENDS)' >tests/vm/bench-out/backends
	echo '$(BENCH_DATAGRAMS)' >tests/vm/bench-out/datagrams
	echo '$(BENCH_IPFT_ARGS)' >tests/vm/bench-out/args
	base='$(BENCH_BASE)'; \
	IPFT=$(abs_top_builddir)/tests/vm/ipft-vm NETPEER=$(abs_top_builddir)/tests/vm/netpeer-static \
	VM_OUT=$(abs_top_builddir)/tests/vm/bench-out \
	VM_EXTRA_FILES="$(abs_top_builddir)/tests/vm/bench-out/backends:/bench-backends \
		$(abs_top_builddir)/tests/vm/bench-out/datagrams:/bench-datagrams \
		$(abs_top_builddir)/tests/vm/bench-out/args:/bench-args \
		$${base:+$$(realpath "$$base"):/bin/ipft-base}" \
		$(top_srcdir)/tests/vm/run.sh $(top_srcdir)/tests/vm/guest/bench.sh

check-local:
	@if [ -n "$(IPFT_NO_VM)" ]; then \
		echo "check-vm: run separately (IPFT_NO_VM is set)"; \
	else \
		$(MAKE) $(AM_MAKEFLAGS) check-vm; \
	fi

clean-local: clean-vm
clean-vm:
	rm -rf tests/vm/out tests/vm/bench-out
.PHONY: check-vm bench-vm clean-vm
