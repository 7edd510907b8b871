/* func_progs.bpf.h - templates for the function backends (kprobe,
 * kprobe-multi, fentry/fexit), included at the end of ipft.bpf.c.
 *
 * One template per position of the skb among the six register arguments.
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
	case 4: return regs->r8;
	default: return regs->r9;
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
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb5, 5)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb0, 0)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb1, 1)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb2, 2)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb3, 3)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb4, 4)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb5, 5)

/* fentry/fexit (-t function_graph): one program per function and
 * direction, cloned with the probe id and role patched in like the
 * tracepoint clones.  The arguments come typed, as for tp_btf.  An entry
 * goes one call deeper, its return comes back with the value returned
 * (bpf_get_func_ret, 5.17+). */
static __always_inline int fentry_hit(__u64 *ctx, int n)
{
	__u64 ident = ipft_probe_ident();
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_ENTRY,
		.func_ip = bpf_get_func_ip(ctx),
		.flags = (((ident >> 32) & IPFT_ROLE_ENTRY_ONLY) ? 0 : IPFT_HIT_CALL) |
			 (((ident >> 32) & IPFT_ROLE_FREE) ? IPFT_HIT_FREE : 0),
	};
	return ipft_handle_typed_skb((struct sk_buff *)ctx[n], ident, &a);
}

static __always_inline int fexit_hit(__u64 *ctx, int n)
{
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_RETURN,
		.func_ip = bpf_get_func_ip(ctx),
	};
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	a.retval = (__s64)ret;
	return ipft_handle_typed_skb((struct sk_buff *)ctx[n], ipft_probe_ident(), &a);
}

#define IPFT_FENTRY_TEMPLATE(n)                       \
	SEC("fentry")                                 \
	int ipft_fe_skb##n(__u64 *ctx)                \
	{                                             \
		return fentry_hit(ctx, n);            \
	}                                             \
	SEC("fexit")                                  \
	int ipft_fx_skb##n(__u64 *ctx)                \
	{                                             \
		return fexit_hit(ctx, n);             \
	}

IPFT_FENTRY_TEMPLATE(0)
IPFT_FENTRY_TEMPLATE(1)
IPFT_FENTRY_TEMPLATE(2)
IPFT_FENTRY_TEMPLATE(3)
IPFT_FENTRY_TEMPLATE(4)
IPFT_FENTRY_TEMPLATE(5)

#endif
