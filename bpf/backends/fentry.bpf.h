/* fentry.bpf.h - the fentry backend's templates (-t function_graph;
 * tracer/backends/fentry.c clones and attaches them).
 *
 * One program per function and direction, cloned with the probe id and
 * role patched in like the tracepoint clones; one entry (fentry) and one
 * return (fexit) template per skb position among the IPFT_REG_ARGS
 * register arguments.  The arguments come typed, as for tp_btf.  An entry
 * goes one call deeper, its return comes back with the value returned
 * (bpf_get_func_ret, 5.17+; before, the context slot after the arguments,
 * patched per clone).  The function's address is bpf_get_func_ip's (5.15+),
 * else patched per clone (bpf/kernel_compat.bpf.h).  A return that hands
 * back new skbs made from the traced one links them (bpf/derive.bpf.h).
 */
#ifndef IPFT_BACKEND_FENTRY_BPF_H
#define IPFT_BACKEND_FENTRY_BPF_H

#include "skb_event.bpf.h"
#include "derive.bpf.h"

static __always_inline int fentry_hit(__u64 *ctx, int n)
{
	__u64 ident = ipft_probe_ident();
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_ENTRY,
		.ctx = ctx,
		.func_ip = feat.tracing_func_ip ? bpf_get_func_ip(ctx) : ipft_func_addr(),
		.flags = (((ident >> 32) & IPFT_ROLE_ENTRY_ONLY) ? 0 : IPFT_HIT_CALL) |
			 (((ident >> 32) & IPFT_ROLE_FREE) ? IPFT_HIT_FREE : 0),
	};
	return ipft_handle_typed_skb((struct sk_buff *)ctx[n], ident, &a);
}

/* The return slot as a number.  Before 5.17 it is read from the context,
 * where the verifier types a returned skb as a pointer, which a global
 * function (ipft_derive_one) does not take: a copy through a helper is a
 * number (as skb_addr()). */
static __always_inline __u64 fexit_ret_slot(__u64 *ctx)
{
	__u64 slot = ipft_ret_slot(ctx), copy = 0;

	bpf_probe_read_kernel(&copy, sizeof(copy), &slot);
	return copy;
}

static __always_inline int fexit_hit(__u64 *ctx, int n)
{
	__u64 ident = ipft_probe_ident();
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_RETURN,
		.ctx = ctx,
		.func_ip = feat.tracing_func_ip ? bpf_get_func_ip(ctx) : ipft_func_addr(),
	};
	__u64 ret = 0;

	if (feat.func_ret)
		bpf_get_func_ret(ctx, &ret);
	else
		ret = fexit_ret_slot(ctx);
	a.retval = (__s64)ret;
	ipft_handle_typed_skb((struct sk_buff *)ctx[n], ident, &a);
	/* The parent's return first: the new packets come after it. */
	ipft_derive((struct sk_buff *)ctx[n], ret, ident >> 32);
	ipft_merged(ctx, (__s32)ret, ident >> 32);
	ipft_reassembled(ctx[n], (__s32)ret, ident >> 32);
	ipft_realloced_fexit(ctx, (__s32)ret, ident >> 32);
	return 0;
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
