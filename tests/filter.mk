# tests of pcap-filter translation: libpcap's verdicts against the
# translated eBPF run in the kernel (BPF_PROG_TEST_RUN; root).
check_PROGRAMS += tests/filter/xlat-diff
tests_filter_xlat_diff_SOURCES = tests/filter/xlat-diff.c \
	tests/filter/pcap_side.c tests/filter/pcap_side.h \
	tracer/filter/cbpf_xlat.c tracer/filter/cbpf_xlat.h
tests_filter_xlat_diff_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBPCAP_CFLAGS)
tests_filter_xlat_diff_LDADD = $(LIBBPF_LIBS) $(LIBPCAP_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)
TESTS += tests/filter/xlat-diff
SANITIZER_TESTS += tests/filter/xlat-diff
TESTS += tests/filter/live.sh tests/filter/slow-compile.sh
EXTRA_DIST += tests/filter/live.sh tests/filter/slow-compile.sh

# make check-vm-filter (also run by make check-vm): the same in Debian's
# kernels from 5.10 to the newest booted under QEMU (the tests/vm harness,
# VM_KERNELS of tests/vm/run.sh): xlat-diff
# through their verifiers and BPF_PROG_TEST_RUN, and ipft with expressions
# over traffic in the guest, its files checked on the host with tshark.
# xlat-diff for the guest links libbpf statically, like tests/vm/ipft-vm.
EXTRA_DIST += tests/filter/vm-guest.sh tests/filter/vm-host-check.sh
CLEANFILES += tests/filter/xlat-diff-vm
tests/filter/xlat-diff-vm: $(tests_filter_xlat_diff_OBJECTS)
	$(AM_V_CCLD)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(tests_filter_xlat_diff_OBJECTS) \
		-Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic $(LIBPCAP_LIBS)

check-vm-filter: tests/vm/ipft-vm tests/vm/netpeer-static tests/filter/xlat-diff-vm
	IPFT=$(abs_top_builddir)/tests/vm/ipft-vm NETPEER=$(abs_top_builddir)/tests/vm/netpeer-static \
	VM_EXTRA_FILES=$(abs_top_builddir)/tests/filter/xlat-diff-vm:/bin/xlat-diff \
	VM_OUT=$(abs_top_builddir)/tests/vm/out/filter TSHARK=$(TSHARK) \
		$(top_srcdir)/tests/vm/run.sh $(top_srcdir)/tests/filter/vm-guest.sh \
		$(top_srcdir)/tests/filter/vm-host-check.sh
check-vm: check-vm-filter
.PHONY: check-vm-filter
