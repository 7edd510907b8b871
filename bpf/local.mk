# bpf: the kernel side.  ipft.bpf.c is compiled for the BPF target and
# embedded in the tracer as a libbpf skeleton (ipft.skel.h); backends/
# holds each backend's templates, named after its tracer/backends/ file;
# the collectors' BPF sides sit beside their tracer sides in
# tracer/collectors/.
BPF_CFLAGS = -target bpf -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Wextra -Werror \
	-Wno-unused-parameter -I$(top_srcdir)/bpf -I$(top_srcdir) $(LIBBPF_CFLAGS)
bpf_headers = bpf/kernel_types.h bpf/bounds.bpf.h bpf/ipft_shared.h bpf/ipft_event.h \
	bpf/skb_event.bpf.h bpf/skb_window.bpf.h bpf/pcap_filter.bpf.h \
	bpf/ipft_features.h bpf/kernel_compat.bpf.h \
	bpf/lineage_state.h bpf/hdr_key.bpf.h bpf/lineage.bpf.h bpf/derive.bpf.h bpf/trigger.bpf.h bpf/sweep.bpf.h \
	bpf/backends/tracepoint.bpf.h bpf/backends/kprobe_common.bpf.h \
	bpf/backends/kprobe.bpf.h bpf/backends/kprobe_multi.bpf.h bpf/backends/fentry.bpf.h \
	tracer/collectors/collect.bpf.h tracer/collectors/collect_prev.h \
	tracer/collectors/meta.bpf.h tracer/collectors/meta_slot.h \
	tracer/collectors/task.bpf.h tracer/collectors/task_slot.h \
	tracer/collectors/stack.bpf.h tracer/collectors/stack_rec.h \
	tracer/collectors/tpargs.bpf.h tracer/collectors/tpargs_slot.h \
	tracer/collectors/ext.bpf.h tracer/collectors/ext_slot.h

bpf/ipft.bpf.o: $(top_srcdir)/bpf/ipft.bpf.c $(bpf_headers)
	@$(MKDIR_P) bpf
	$(AM_V_GEN)$(CLANG) $(BPF_CFLAGS) -c $(top_srcdir)/bpf/ipft.bpf.c -o $@

bpf/ipft.skel.h: bpf/ipft.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton bpf/ipft.bpf.o name ipft_skel > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += bpf/ipft.skel.h
CLEANFILES += bpf/ipft.bpf.o bpf/ipft.skel.h bpf/ipft.skel.h.tmp
EXTRA_DIST += bpf/ipft.bpf.c $(bpf_headers)
