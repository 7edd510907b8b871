# bench: overhead of tracing, measured side by side (make bench, as root).
#   make bench ROUNDS=5 SECONDS_PER_RUN=3 IPFT_BENCH_BASE=<git rev>
# (the variables go to bench/overhead.sh, which says what they do).
noinst_PROGRAMS += bench/udp-flood bench/noop-attach bench/rusage
bench_udp_flood_SOURCES = bench/udp-flood.c
bench_noop_attach_SOURCES = bench/noop-attach.c
bench_noop_attach_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
bench_noop_attach_LDADD = $(LIBBPF_LIBS)
bench_rusage_SOURCES = bench/rusage.c
EXTRA_DIST += bench/overhead.sh bench/nested.sh bench/hit-time.sh bench/event-cost.sh \
	bench/veth-pair.sh

bench: bench/udp-flood$(EXEEXT) bench/noop-attach$(EXEEXT) bench/rusage$(EXEEXT) tracer/ipft$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/overhead.sh $(abs_top_builddir)
.PHONY: bench

# Hits the kernel skipped inside ipft's running program (its recursion
# guard), per run of three TCP transfers: make bench-nested
# [NESTED_IPFT="ipft another/ipft"] [RUNS=10] (as root).
bench-nested: tracer/ipft$(EXEEXT) tests/tracer/netpeer$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/nested.sh $(abs_top_builddir) $(NESTED_IPFT)
.PHONY: bench-nested

# The programs' own time per hit under the flood (kernel.bpf_stats_enabled):
# make bench-hit-time [HIT_IPFT="floor ipft another/ipft"] [HIT_ARGS="-m 0xdead"]
# [RUNS=5] (as root; floor: the empty program on the same tracepoints).
bench-hit-time: tracer/ipft$(EXEEXT) bench/udp-flood$(EXEEXT) bench/noop-attach$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/hit-time.sh $(abs_top_builddir) $(HIT_IPFT)
.PHONY: bench-hit-time

# ipft's own CPU time per event written while it traces every packet of
# the flood, and the events it lost: make bench-event-cost
# [EVENT_IPFT="ipft another/ipft"] [EVENT_ARGS="-x meta"] [RUNS=5] (as root).
bench-event-cost: tracer/ipft$(EXEEXT) bench/udp-flood$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/event-cost.sh $(abs_top_builddir) $(EVENT_IPFT)
.PHONY: bench-event-cost

# ipft's user space alone: synthetic ring-buffer records of the flood
# through the assembly and the pcapng writer (make bench-replay; no root).
noinst_PROGRAMS += bench/replay
bench_replay_SOURCES = bench/replay.c tracer/collect/assemble.c tracer/collect/packets.c tracer/collect/huge_pages.c \
	tracer/collect/lineage.c \
	tracer/collect/clock.c tracer/kernel/kallsyms.c tracer/kernel/read_file.c tracer/kernel/drop_reason.c tracer/kernel/vmlinux_btf.c \
	$(collector_sources)
bench_replay_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
bench_replay_LDADD = tracer/output/libipftout.la pcapng/libipftpcapng.la codec/libipftcodec.la \
	$(LIBBPF_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)

bench-replay: bench/replay$(EXEEXT)
	bench/replay$(EXEEXT) $(REPLAY_ARGS)
.PHONY: bench-replay
