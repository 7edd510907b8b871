# tracer: the ipft command.
sbin_PROGRAMS += tracer/ipft
tracer_ipft_SOURCES = \
	tracer/ipft.c \
	tracer/cli.c tracer/cli.h \
	tracer/options.h \
	tracer/backend.h tracer/backends.c \
	tracer/backend_tracepoint.c \
	tracer/probes_tracepoint.c \
	tracer/probes_function.c tracer/function_role.c \
	tracer/kprobe_common.h tracer/kprobe_common.c \
	tracer/backend_kprobe.c tracer/backend_kprobe_multi.c \
	tracer/backend_fentry.c \
	tracer/parallel.h tracer/parallel.c \
	tracer/bpf_object.h tracer/prog_load.c \
	tracer/filter.h tracer/filter.c \
	tracer/cbpf_xlat.h tracer/cbpf_xlat.c \
	tracer/pcap_compile.h tracer/pcap_compile.c \
	tracer/packets.h tracer/packets.c \
	tracer/live_sweep.h tracer/live_sweep.c \
	tracer/kallsyms.h tracer/kallsyms.c \
	tracer/drop_reason.h tracer/drop_reason.c \
	tracer/pcapng_out.h tracer/pcapng_out.c \
	tracer/text_out.h tracer/text_out.c \
	tracer/pkt_summary.h tracer/pkt_summary.c \
	tracer/run_info.h
nodist_tracer_ipft_SOURCES = bpf/ipft.skel.h
tracer_ipft_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/bpf $(LIBBPF_CFLAGS)
tracer_ipft_LDADD = -lpthread pcapng/libipftpcapng.la $(LIBPCAP_LIBS) $(LIBBPF_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)
dist_man_MANS += tracer/ipft.8
