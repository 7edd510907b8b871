# tracer: the ipft command.  main.c runs the phases; each folder is one part:
#   cli/       the command line: options, defaults, help (struct ipft_config)
#   kernel/    what the running kernel has: privileges, kallsyms, drop reasons
#   probes/    attach points: tracepoints and kernel functions found and chosen
#   backends/  the BPF object, its templates and how each kind of probe attaches
#   filter/    which packets: mark, device, netns, pcap expressions to eBPF
#   collect/   ring-buffer records to packets in flight to events
#   output/    a finished packet written: pcapng, aggregate text, JSON
#   trim/      ipft trim: a file made fit for a bug report
# job.h is the start-up work the parts run on threads of their own.
sbin_PROGRAMS += tracer/ipft
# output/ is a library of its own: samples/ipft-gen-samples writes the
# sample files through the same code.
noinst_LTLIBRARIES += tracer/output/libipftout.la
tracer_output_libipftout_la_SOURCES = \
	tracer/output/pcapng_out.h tracer/output/pcapng_out.c \
	tracer/output/text_out.h tracer/output/text_out.c \
	tracer/output/pkt_summary.h tracer/output/pkt_summary.c \
	tracer/output/kv_text.h tracer/output/kv_text.c \
	tracer/output/snapshot_out.h tracer/output/snapshot_out.c \
	tracer/output/lineage_text.h tracer/output/lineage_text.c \
	tracer/output/headers.h tracer/output/headers.c \
	tracer/output/run_info.h tracer/output/run_info.c
tracer_ipft_SOURCES = \
	tracer/main.c tracer/job.h \
	tracer/cli/cli.c tracer/cli/cli.h tracer/cli/options.h tracer/cli/cli_internal.h \
	tracer/cli/option_table.c tracer/cli/help.c tracer/cli/netns.c \
	tracer/kernel/kallsyms.c tracer/kernel/kallsyms.h \
	tracer/kernel/read_file.c tracer/kernel/read_file.h \
	tracer/kernel/drop_reason.c tracer/kernel/drop_reason.h \
	tracer/kernel/vmlinux_btf.c tracer/kernel/vmlinux_btf.h \
	tracer/kernel/kernel_check.c tracer/kernel/kernel_check.h \
	tracer/kernel/features.c tracer/kernel/features.h \
	tracer/kernel/prog_misses.c tracer/kernel/prog_misses.h \
	tracer/probes/probe.h tracer/probes/probe.c \
	tracer/probes/tracepoints.c tracer/probes/functions.c tracer/probes/function_role.c \
	tracer/probes/known_names.c tracer/probes/known_names.h \
	tracer/probes/ftrace_list.c tracer/probes/ftrace_list.h \
	tracer/probes/select.c tracer/probes/select.h \
	tracer/backends/backend.h tracer/backends/backends.c \
	tracer/backends/plan.c tracer/backends/plan.h \
	tracer/backends/bpf_object.h tracer/backends/bpf_object.c \
	tracer/backends/ahead.h tracer/backends/ahead.c \
	tracer/backends/clone_btf.h tracer/backends/clone_btf.c \
	tracer/backends/tracepoint.c \
	tracer/backends/kprobe_common.h tracer/backends/kprobe_common.c \
	tracer/backends/kprobe.c tracer/backends/kprobe_multi.c \
	tracer/backends/fentry.c \
	tracer/backends/func_addr.h tracer/backends/func_addr.c \
	tracer/backends/parallel.h tracer/backends/parallel.c \
	tracer/filter/filter.h tracer/filter/filter.c \
	tracer/filter/cbpf_xlat.h tracer/filter/cbpf_xlat.c \
	tracer/filter/pcap_compile.h tracer/filter/pcap_compile.c \
	tracer/filter/trigger.h tracer/filter/trigger.c tracer/filter/trigger_parse.c \
	tracer/collect/packets.h tracer/collect/packets.c \
	tracer/collect/huge_pages.h tracer/collect/huge_pages.c \
	tracer/collect/live_sweep.h tracer/collect/live_sweep.c \
	tracer/collect/assemble.h tracer/collect/assemble.c \
	tracer/collect/lineage.h tracer/collect/lineage.c tracer/collect/snaps.h \
	tracer/collect/counters.h tracer/collect/counters.c \
	tracer/collect/clock.h tracer/collect/clock.c \
	tracer/trim/trim.h tracer/trim/trim_internal.h tracer/trim/trim.c \
	tracer/trim/trim_blocks.c tracer/trim/trim_trace.c tracer/trim/trim_opts.c \
	tracer/trim/trim_info.c
nodist_tracer_ipft_SOURCES = bpf/ipft.skel.h
tracer_ipft_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/bpf $(LIBBPF_CFLAGS)
tracer_ipft_LDADD = -lpthread tracer/output/libipftout.la pcapng/libipftpcapng.la codec/libipftcodec.la $(LIBPCAP_LIBS) $(LIBBPF_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)
dist_man_MANS += tracer/ipft.8
