# bench: overhead of tracing, measured side by side (make bench, as root).
noinst_PROGRAMS += bench/udp-flood bench/noop-attach
bench_udp_flood_SOURCES = bench/udp-flood.c
bench_noop_attach_SOURCES = bench/noop-attach.c
bench_noop_attach_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
bench_noop_attach_LDADD = $(LIBBPF_LIBS)
EXTRA_DIST += bench/overhead.sh

bench: bench/udp-flood$(EXEEXT) bench/noop-attach$(EXEEXT) tracer/ipft$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/overhead.sh $(abs_top_builddir)
.PHONY: bench
