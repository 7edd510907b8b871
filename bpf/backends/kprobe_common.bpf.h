/* kprobe_common.bpf.h - what the kprobe and kprobe-multi templates share
 * (bpf/backends/kprobe.bpf.h, kprobe_multi.bpf.h;
 * tracer/backends/kprobe_common.c on the user side).
 *
 * One template per position of the skb among the IPFT_REG_ARGS register
 * arguments.  The attach cookie carries the probe id and role bits (set
 * per function by the tracer), so one program serves every function with
 * its skb at that position.  bpf_get_func_ip() gives the function's
 * address (right with IBT/endbr too).  A kernel without them (before
 * 5.15, kprobe only; no IBT there) has the kprobe's address in the
 * registers, and the tracer maps each function's address to its ident.
 *
 * x86-64 only: the arguments are read from pt_regs by register name.
 */
#ifndef IPFT_BACKEND_KPROBE_COMMON_BPF_H
#define IPFT_BACKEND_KPROBE_COMMON_BPF_H

#include "skb_event.bpf.h"

/* Each function's probe id and role bits by its address, where the
 * kernel has no attach cookies (filled by tracer/backends/kprobe.c). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, __u64);
	__uint(max_entries, 1); /* resized by the tracer */
} kprobe_idents SEC(".maps");

static __always_inline __u64 kp_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->cx;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

static __always_inline int kp_hit(struct pt_regs *regs, int n)
{
	/* A kprobe on a function's first instruction: ip is one past it. */
	__u64 ip = feat.kprobe_func_ip ? bpf_get_func_ip(regs) : regs->ip - 1, ident, *id;

	if (feat.kprobe_cookie) {
		ident = bpf_get_attach_cookie(regs);
	} else {
		id = bpf_map_lookup_elem(&kprobe_idents, &ip);
		if (!id)
			return 0;
		ident = *id;
	}
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_ENTRY,
		.ctx = regs,
		.func_ip = ip,
		.flags = ((ident >> 32) & IPFT_ROLE_FREE) ? IPFT_HIT_FREE : 0,
	};
	return ipft_handle_skb((struct sk_buff *)kp_arg(regs, n), ident, &a);
}

#define IPFT_KPROBE_TEMPLATE(sec, name, n)            \
	SEC(sec)                                      \
	int name(struct pt_regs *regs)                \
	{                                             \
		return kp_hit(regs, n);               \
	}

#endif
