# bench: overhead of tracing, measured side by side (make bench, as root).
#   make bench ROUNDS=5 SECONDS_PER_RUN=3 IPFT_BENCH_BASE=<git rev>
# (the variables go to bench/overhead.sh, which says what they do).
noinst_PROGRAMS += bench/udp-flood bench/noop-attach bench/rusage
bench_udp_flood_SOURCES = bench/udp-flood.c
bench_noop_attach_SOURCES = bench/noop-attach.c
bench_noop_attach_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
bench_noop_attach_LDADD = $(LIBBPF_LIBS)
bench_rusage_SOURCES = bench/rusage.c
EXTRA_DIST += bench/overhead.sh

bench: bench/udp-flood$(EXEEXT) bench/noop-attach$(EXEEXT) bench/rusage$(EXEEXT) tracer/ipft$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/overhead.sh $(abs_top_builddir)
.PHONY: bench
