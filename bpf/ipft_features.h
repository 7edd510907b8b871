/* ipft_features.h - what the BPF side is told about the kernel's BPF
 * features, and the markers the loader patches where one is missing
 * (tracer/kernel/features.h probes them; tracer/backends/bpf_object.c
 * sets feat and patches the clones; bpf/kernel_compat.bpf.h uses both).
 *
 * Included by BPF code (after kernel_types.h) and by the tracer (after
 * <linux/types.h>).
 */
#ifndef IPFT_FEATURES_SHARED_H
#define IPFT_FEATURES_SHARED_H

/* Markers: 64-bit constants of one ld_imm64 each (as IPFT_MARK_PROBE_IDENT
 * of ipft_shared.h).  FUNC_ADDR is replaced by the traced function's
 * address (kallsyms) where the kernel has no bpf_get_func_ip (5.15).  The
 * other two mark the instruction that follows them: the fexit context
 * load whose offset becomes the return value's slot, after the
 * arguments (no bpf_get_func_ret before 5.17), and the packet counter's
 * atomic add, which becomes a fetch-and-add where the kernel has one
 * (5.12; an older verifier refuses the instruction even in dead code). */
#define IPFT_MARK_FUNC_ADDR 0x1badc0de5eedf0a1
#define IPFT_MARK_RET_SLOT 0x1badc0de5eedf0a2
#define IPFT_MARK_ATOMIC_ADD 0x1badc0de5eedf0a3

/* The body of ipft_rdonly_cast() (bpf/kernel_compat.bpf.h): the loader
 * makes it a call of the kfunc bpf_rdonly_cast (6.2) where the program's
 * type may call it. */
#define IPFT_MARK_RDONLY_CAST 0x1badc0de5eedf0a5

/* The kernel's features (frozen rodata: the verifier drops the code of
 * the branch not taken, helper calls the kernel does not know included). */
struct ipft_bpf_features {
	__u8 atomic_fetch;    /* the counter's add was patched to fetch (5.12+) */
	__u8 kprobe_func_ip;  /* bpf_get_func_ip() in kprobes (5.15+) */
	__u8 kprobe_cookie;   /* bpf_get_attach_cookie() in kprobes (5.15+) */
	__u8 tracing_func_ip; /* bpf_get_func_ip() in fentry/fexit (5.15+) */
	__u8 func_ret;        /* bpf_get_func_ret() in fexit (5.17+) */
	__u8 raw_tp_cookie;   /* bpf_get_attach_cookie() in raw tracepoints (6.10+) */
	__u8 pad[2];
};

/* Without a fetch-and-add, a packet_id's counter (its low
 * IPFT_ID_COUNTER_BITS bits, as IPFT_ID_COUNTER_MASK of
 * codec/ipft_format.h) is the shared counter read after its add, shifted,
 * with the CPU number in the low IPFT_ID_CPU_BITS bits. */
#define IPFT_ID_COUNTER_BITS 40
#define IPFT_ID_CPU_BITS 10

#endif
