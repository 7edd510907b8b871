/* func_progs.bpf.h - templates for the function backends (kprobe,
 * kprobe-multi), included at the end of ipft.bpf.c.
 *
 * One template per position of the skb among the first five arguments.
 * The attach cookie carries the probe id and role bits (set per function
 * by the tracer, tracer/backend_kprobe*.c), so one program serves every
 * function with its skb at that position.  bpf_get_func_ip() gives the
 * function's address (right with IBT/endbr too).
 *
 * x86-64 only: the arguments are read from pt_regs by register name.
 */
#ifndef IPFT_FUNC_PROGS_BPF_H
#define IPFT_FUNC_PROGS_BPF_H

static __always_inline __u64 kp_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->cx;
	default: return regs->r8;
	}
}

static __always_inline int kp_hit(struct pt_regs *regs, int n)
{
	__u64 ident = bpf_get_attach_cookie(regs);
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_ENTRY,
		.func_ip = bpf_get_func_ip(regs),
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

IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb0, 0)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb1, 1)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb2, 2)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb3, 3)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb4, 4)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb0, 0)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb1, 1)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb2, 2)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb3, 3)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb4, 4)

#endif
