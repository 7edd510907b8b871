/* features.h - the BPF features ipft uses where the running kernel has
 * them, and does without where it has not (5.10 to the newest kernel).
 *
 * Each is probed, never guessed from the version: a small program using
 * the feature is loaded (nothing is attached).  The BPF side learns the
 * answers through its configuration (struct ipft_bpf_config) and the
 * loader patches each clone to match (tracer/backends/bpf_object.c).
 */
#ifndef IPFT_FEATURES_H
#define IPFT_FEATURES_H

#include <stdbool.h>

struct ipft_kernel_features {
	bool drop_reasons;    /* enum skb_drop_reason, kfree_skb's reason (5.17) */
	bool tai_clock;       /* bpf_ktime_get_tai_ns (6.1) */
	bool atomic_fetch;    /* atomic fetch-and-add instructions (5.12) */
	bool kprobe_func_ip;  /* bpf_get_func_ip in kprobes (5.15) */
	bool kprobe_cookie;   /* bpf_get_attach_cookie and BPF links for kprobes (5.15) */
	bool tracing_func_ip; /* bpf_get_func_ip in fentry/fexit (5.15) */
	bool func_ret;        /* bpf_get_func_ret in fexit (5.17) */
	bool raw_tp_cookie;   /* bpf_get_attach_cookie in raw tracepoints (6.10) */
	bool raw_tp_skb_cast; /* the kfunc bpf_rdonly_cast in raw tracepoints (6.2) */
	bool kprobe_skb_cast; /* and in kprobes */
	int rdonly_cast_id;   /* bpf_rdonly_cast's id in vmlinux's BTF, if either */
};

/* The running kernel's, probed on the first call. */
const struct ipft_kernel_features *ipft_kernel_features(void);

/* Writes one line per feature this kernel lacks, with what ipft does
 * instead, to stderr ("ipft: " lines; for -v). */
void ipft_kernel_features_report(void);

#endif
