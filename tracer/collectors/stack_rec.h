/* stack_rec.h - the stack collector's record, as its BPF side
 * (stack.bpf.h) sends it and the tracer (stack.c) reads it: the kernel
 * stack at a hit, in a ring-buffer record of its own (it does not fit a
 * slot), sent before the hit's own record.
 *
 * Included by BPF code and by the tracer (after <linux/types.h>).
 */
#ifndef IPFT_STACK_REC_H
#define IPFT_STACK_REC_H

/* Frames kept: enough to see past the free functions and the tracing
 * frames into the code that dropped the packet. */
#define IPFT_STACK_DEPTH 32
/* stack_at: attach points (by probe id) that record a stack at every hit. */
#define IPFT_STACK_AT_MAX 65536

struct ipft_stack_rec {
	__u32 type;           /* IPFT_REC_STACK */
	__u32 nr;             /* frames in ips[] */
	__u64 packet_id;
	__u64 ts;             /* the hit's time: which event it belongs to */
	__u32 probe_id;       /* ... and its attach point */
	__u32 pad;
	__u64 ips[IPFT_STACK_DEPTH]; /* innermost first */
};

#endif
