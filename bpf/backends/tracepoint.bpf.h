/* tracepoint.bpf.h - the tracepoint backend's programs
 * (tracer/backends/tracepoint.c loads and attaches them).
 *
 * Raw tracepoint programs get the tracepoint's arguments as an array of
 * u64.  Where links carry a cookie (6.10+) one program serves every
 * tracepoint, told by the cookie where the skb is and what the tracepoint
 * does.  Before, each tracepoint has a clone of a template chosen by the
 * position of the struct sk_buff * among its arguments, and the free
 * tracepoints have their own, which end the trace.
 */
#ifndef IPFT_BACKEND_TRACEPOINT_BPF_H
#define IPFT_BACKEND_TRACEPOINT_BPF_H

#include "skb_event.bpf.h"

/* A clone's hit: the skb at argument pos.  typed: tp_btf (the verifier
 * knows the argument's type), else raw_tp.  Both see the arguments as an
 * array of u64.  ident: the clone's patched constant. */
static __always_inline int tp_hit(__u64 *ctx, int pos, bool typed, __u64 ident)
{
	struct sk_buff *skb = (struct sk_buff *)ctx[pos];
	struct ipft_hit_entry e;

	if (!ipft_hit_decide(skb, ident, IPFT_HIT_TRACEPOINT, 0, typed, &e))
		return 0;
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT, .ctx = ctx };

	if (cfg.collect & IPFT_COLLECT_TPARGS)
		ipft_tpargs_read(&a, ctx, ident, false);
	return handle_hit(skb, ident, &a, &e, typed, false);
}

/* skb:kfree_skb(skb, location[, reason (5.17+)[, rx_sk]]) and
 * skb:consume_skb(skb[, location]): the end of the packet. */
static __always_inline int tp_free(__u64 *ctx, bool drop, bool has_reason, bool typed,
				   __u64 ident)
{
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_TRACEPOINT,
		.ctx = ctx,
		.flags = IPFT_HIT_FREE | (drop ? IPFT_HIT_HAS_REASON : 0),
	};
	if (drop) {
		a.drop_location = ctx[1];
		a.drop_reason = has_reason ? (__u32)ctx[2] : 0;
	}
	return handle_skb((struct sk_buff *)ctx[0], ident, &a, typed, false);
}

/* The templates of one program type, cloned per tracepoint where links
 * carry no cookie (before 6.10), each clone with its ident patched in.
 * The tp_btf ones read the hot sk_buff fields with plain loads
 * (skb_event.bpf.h, SKB_READ); each is verified against one tracepoint
 * that fits it (set by the tracer before load, or not loaded) and cloned
 * for the others.  The raw_tp ones are the fallback. */
#define IPFT_TP_HIT(pos, typed) tp_hit(ctx, pos, typed, ipft_probe_ident())
#define IPFT_TP_FREE(drop, reason, typed) tp_free(ctx, drop, reason, typed, ipft_probe_ident())
#define IPFT_TP_TEMPLATES(sec, prefix, typed)                                               \
	SEC(sec) int prefix##skb0(__u64 *ctx) { return IPFT_TP_HIT(0, typed); }               \
	SEC(sec) int prefix##skb1(__u64 *ctx) { return IPFT_TP_HIT(1, typed); }               \
	SEC(sec) int prefix##skb2(__u64 *ctx) { return IPFT_TP_HIT(2, typed); }               \
	SEC(sec) int prefix##skb3(__u64 *ctx) { return IPFT_TP_HIT(3, typed); }               \
	SEC(sec) int prefix##kfree_skb_reason(__u64 *ctx) { return IPFT_TP_FREE(true, true, typed); } \
	SEC(sec) int prefix##kfree_skb(__u64 *ctx) { return IPFT_TP_FREE(true, false, typed); } \
	SEC(sec) int prefix##consume_skb(__u64 *ctx) { return IPFT_TP_FREE(false, false, typed); }

IPFT_TP_TEMPLATES("raw_tp", ipft_tp_, false)
IPFT_TP_TEMPLATES("tp_btf", ipft_tpb_, true)

/* A shared program's ident: the cookie each tracepoint's link carries
 * (6.10+; without, the tracer does not attach the shared program). */
static __always_inline __u64 tp_cookie(__u64 *ctx)
{
	return feat.raw_tp_cookie ? bpf_get_attach_cookie(ctx) : 0;
}

/* Argument i of a shared program's tracepoint, through the helper: the
 * kernel refuses to attach a raw_tp program whose plain context loads
 * reach past the tracepoint's last argument, and refuses a plain load at
 * an offset it cannot tell at load. */
static __always_inline __u64 tp_arg(__u64 *ctx, __u32 i)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[i & 7]);
	return v;
}

/* Where links carry a cookie (6.10+), one program serves every
 * tracepoint: the cookie holds the tracepoint's ident, and in its role
 * bits where the skb is and whether the tracepoint frees it
 * (IPFT_ROLE_TP_*).  The tracer loads it three times, a copy for each
 * context tracepoints run in (tracer/backends/tracepoint.c): three
 * verifications at the start instead of one per template. */
static __always_inline int tps_any(__u64 *ctx, bool cast)
{
	__u64 ident = tp_cookie(ctx);
	__u32 role = ident >> 32;
	/* Most tracepoints' skb is their first argument, which every one
	 * has: a plain load there (a helper call is most of what an
	 * untracked skb costs), the others through the helper. */
	__u32 pos = (role >> IPFT_ROLE_TP_SKB_SHIFT) & 3;
	struct sk_buff *skb = (struct sk_buff *)(pos ? tp_arg(ctx, pos) : ctx[0]);
	struct ipft_hit_entry e;

	if (cast)
		skb = ipft_rdonly_cast(skb, bpf_core_type_id_kernel(struct sk_buff));
	/* A cast skb is read as a typed one. */
	if (!ipft_hit_decide(skb, ident, IPFT_HIT_TRACEPOINT,
			     (role & IPFT_ROLE_FREE) ? IPFT_HIT_FREE : 0, cast, &e))
		return 0;
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT, .ctx = ctx };

	if (role & IPFT_ROLE_FREE) {
		a.flags = IPFT_HIT_FREE;
		if (role & IPFT_ROLE_TP_DROP)
			a.flags |= IPFT_HIT_DROP_ARGS |
				   ((role & IPFT_ROLE_TP_REASON) ? IPFT_HIT_REASON_ARG : 0);
	} else if (cfg.collect & IPFT_COLLECT_TPARGS) {
		ipft_tpargs_read(&a, ctx, ident, true);
	}
	return handle_hit(skb, ident, &a, &e, cast, cast);
}

/* The loader loads one of the two: the second reads the skb through
 * bpf_rdonly_cast (6.2+). */
SEC("raw_tp") int ipft_tps_any(__u64 *ctx) { return tps_any(ctx, false); }
SEC("raw_tp") int ipft_tps_any_cast(__u64 *ctx) { return tps_any(ctx, true); }

#endif
