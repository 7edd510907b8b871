# tests of the pcapng library and the trace format
noinst_PROGRAMS += tests/pcapng/pcapng-dump
tests_pcapng_pcapng_dump_SOURCES = tests/pcapng/pcapng-dump.c
tests_pcapng_pcapng_dump_LDADD = pcapng/libipftpcapng.la codec/libipftcodec.la

check_PROGRAMS += tests/pcapng/test-pcapng tests/pcapng/test-packed tests/pcapng/pcapng-swap
tests_pcapng_pcapng_swap_SOURCES = tests/pcapng/pcapng-swap.c
tests_pcapng_pcapng_swap_LDADD = pcapng/libipftpcapng.la
tests_pcapng_test_pcapng_SOURCES = tests/pcapng/test-pcapng.c tests/pcapng/record_to_be.h
tests_pcapng_test_pcapng_LDADD = pcapng/libipftpcapng.la codec/libipftcodec.la
tests_pcapng_test_packed_SOURCES = tests/pcapng/test-packed.c tests/pcapng/record_to_be.h
tests_pcapng_test_packed_LDADD = codec/libipftcodec.la

PCAPNG_TESTS = \
	tests/pcapng/test-pcapng \
	tests/pcapng/test-packed \
	tests/pcapng/samples.sh \
	tests/pcapng/tools.sh \
	tests/pcapng/full-disk.sh \
	tests/pcapng/byte-order.sh
TESTS += $(PCAPNG_TESTS)
SANITIZER_TESTS += $(PCAPNG_TESTS)
EXTRA_DIST += tests/pcapng/samples.sh tests/pcapng/tools.sh tests/pcapng/full-disk.sh \
	tests/pcapng/byte-order.sh

# libFuzzer targets (need clang, so not part of the default build):
# `make fuzz` builds tests/fuzz/fuzz_ipft_format and fuzz_pcapng_reader;
# tests/fuzz/fuzz.sh runs both for a bounded number of inputs.
fuzz:
	sh $(top_srcdir)/tests/fuzz/build.sh '$(CLANG)' $(top_srcdir) tests/fuzz
.PHONY: fuzz
TESTS += tests/fuzz/fuzz.sh
EXTRA_DIST += tests/fuzz/build.sh tests/fuzz/fuzz.sh tests/fuzz/fuzz_ipft_format.c \
	tests/fuzz/fuzz_pcapng_reader.c tests/tracer/real-traces.sh
CLEANFILES += tests/fuzz/fuzz_ipft_format tests/fuzz/fuzz_pcapng_reader

# One verdict on damaged real traces: tests/plugin/mutate-trace damages
# real files; the reader (pcapng-dump -j) and tshark with the plugin must
# call the same frames malformed (tests/plugin/mutated.sh).
if ENABLE_WIRESHARK_PLUGIN
check_PROGRAMS += tests/plugin/mutate-trace
tests_plugin_mutate_trace_SOURCES = tests/plugin/mutate-trace.c
TESTS += tests/plugin/mutated.sh
endif
EXTRA_DIST += tests/plugin/mutated.sh
CLEANFILES += tests/plugin/mutated-*.pcapng

# make soak (as root, not in make check: 10 minutes): ipft under a UDP
# flood, its memory sampled and its counters read (tests/soak.sh,
# docs/performance.md "Soak"); with make fuzz, the long runs of the
# campaign of issue 18.
soak: bench/udp-flood$(EXEEXT) tracer/ipft$(EXEEXT)
	$(SHELL) $(top_srcdir)/tests/soak.sh $(abs_top_builddir)
.PHONY: soak
EXTRA_DIST += tests/soak.sh
