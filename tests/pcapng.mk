# tests of the pcapng library and the trace format
noinst_PROGRAMS += tests/pcapng/pcapng-dump
tests_pcapng_pcapng_dump_SOURCES = tests/pcapng/pcapng-dump.c
tests_pcapng_pcapng_dump_LDADD = pcapng/libipftpcapng.la

check_PROGRAMS += tests/pcapng/test-pcapng
tests_pcapng_test_pcapng_SOURCES = tests/pcapng/test-pcapng.c
tests_pcapng_test_pcapng_LDADD = pcapng/libipftpcapng.la

PCAPNG_TESTS = \
	tests/pcapng/test-pcapng \
	tests/pcapng/samples.sh \
	tests/pcapng/tools.sh
TESTS += $(PCAPNG_TESTS)
SANITIZER_TESTS += $(PCAPNG_TESTS)
EXTRA_DIST += tests/pcapng/samples.sh tests/pcapng/tools.sh
