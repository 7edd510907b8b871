# tests of pcap-filter translation: libpcap's verdicts against the
# translated eBPF run in the kernel (BPF_PROG_TEST_RUN; root).
check_PROGRAMS += tests/filter/xlat-diff
tests_filter_xlat_diff_SOURCES = tests/filter/xlat-diff.c \
	tests/filter/pcap_side.c tests/filter/pcap_side.h \
	tracer/cbpf_xlat.c tracer/cbpf_xlat.h
tests_filter_xlat_diff_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBPCAP_CFLAGS)
tests_filter_xlat_diff_LDADD = $(LIBBPF_LIBS) $(LIBPCAP_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)
TESTS += tests/filter/xlat-diff
SANITIZER_TESTS += tests/filter/xlat-diff
TESTS += tests/filter/live.sh
EXTRA_DIST += tests/filter/live.sh
