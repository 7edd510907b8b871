/* tracepoint.bpf.h - the tracepoint backend's templates
 * (tracer/backends/tracepoint.c clones and attaches them).
 *
 * Raw tracepoint programs get the tracepoint's arguments as an array of
 * u64; a template is chosen by the position of the struct sk_buff * among
 * them, and the free tracepoints have their own, which end the trace.
 */
#ifndef IPFT_BACKEND_TRACEPOINT_BPF_H
#define IPFT_BACKEND_TRACEPOINT_BPF_H

#include "skb_event.bpf.h"

/* A tracepoint hit: the skb at argument pos.  typed: tp_btf (the verifier
 * knows the argument's type), else raw_tp.  Both see the arguments as an
 * array of u64.  ident: the clone's patched constant, or the attach
 * cookie of a shared program. */
static __always_inline int tp_hit(__u64 *ctx, int pos, bool typed, __u64 ident, bool shared)
{
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT, .ctx = ctx };

	if (cfg.collect & IPFT_COLLECT_TPARGS)
		ipft_tpargs_read(&a, ctx, ident, shared);
	return handle_skb((struct sk_buff *)ctx[pos], ident, &a, typed);
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
	return handle_skb((struct sk_buff *)ctx[0], ident, &a, typed);
}

/* A shared program's ident: the cookie each tracepoint's link carries
 * (6.10+; without, the tracer does not attach these programs). */
static __always_inline __u64 tp_cookie(__u64 *ctx)
{
	return feat.raw_tp_cookie ? bpf_get_attach_cookie(ctx) : 0;
}

/* How a program knows its tracepoint: a constant patched into each clone,
 * or the cookie of a shared program's link. */
static __always_inline __u64 tp_ident(__u64 *ctx, bool shared)
{
	return shared ? tp_cookie(ctx) : ipft_probe_ident();
}

/* The templates of one program type.  The tp_btf ones read the hot
 * sk_buff fields with plain loads (skb_event.bpf.h, SKB_READ); each is
 * verified against one tracepoint that fits it (set by the tracer before
 * load, or not loaded) and cloned for the others.  The raw_tp ones are the
 * fallback.  The shared ones (raw_tp: a typed program is bound to one
 * tracepoint at load) are loaded once per template and attached to every
 * tracepoint it fits, each link with its tracepoint's ident as cookie. */
#define IPFT_TP_HIT(pos, typed, shared) tp_hit(ctx, pos, typed, tp_ident(ctx, shared), shared)
#define IPFT_TP_FREE(drop, reason, typed, shared) \
	tp_free(ctx, drop, reason, typed, tp_ident(ctx, shared))
#define IPFT_TP_TEMPLATES(sec, prefix, typed, shared)                                   \
	SEC(sec) int prefix##skb0(__u64 *ctx) { return IPFT_TP_HIT(0, typed, shared); }   \
	SEC(sec) int prefix##skb1(__u64 *ctx) { return IPFT_TP_HIT(1, typed, shared); }   \
	SEC(sec) int prefix##skb2(__u64 *ctx) { return IPFT_TP_HIT(2, typed, shared); }   \
	SEC(sec) int prefix##skb3(__u64 *ctx) { return IPFT_TP_HIT(3, typed, shared); }   \
	SEC(sec) int prefix##kfree_skb_reason(__u64 *ctx)                                \
	{                                                                                \
		return IPFT_TP_FREE(true, true, typed, shared);                          \
	}                                                                                \
	SEC(sec) int prefix##kfree_skb(__u64 *ctx) { return IPFT_TP_FREE(true, false, typed, shared); } \
	SEC(sec) int prefix##consume_skb(__u64 *ctx) { return IPFT_TP_FREE(false, false, typed, shared); }

IPFT_TP_TEMPLATES("raw_tp", ipft_tp_, false, false)
IPFT_TP_TEMPLATES("tp_btf", ipft_tpb_, true, false)
IPFT_TP_TEMPLATES("raw_tp", ipft_tps_, false, true)

#endif
