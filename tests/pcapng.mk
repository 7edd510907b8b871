# tests of the pcapng library and the trace format
noinst_PROGRAMS += tests/pcapng/pcapng-dump
tests_pcapng_pcapng_dump_SOURCES = tests/pcapng/pcapng-dump.c
tests_pcapng_pcapng_dump_LDADD = pcapng/libipftpcapng.la

TESTS += tests/pcapng/samples.sh
EXTRA_DIST += tests/pcapng/samples.sh
