# bench: overhead of tracing, measured side by side (make bench, as root).
noinst_PROGRAMS += bench/udp-flood
bench_udp_flood_SOURCES = bench/udp-flood.c
EXTRA_DIST += bench/overhead.sh

bench: bench/udp-flood$(EXEEXT) tracer/ipft$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/overhead.sh $(abs_top_builddir)
.PHONY: bench
