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
 * array of u64. */
static __always_inline int tp_hit(__u64 *ctx, int pos, bool typed)
{
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT, .ctx = ctx };
	__u64 ident = ipft_probe_ident();

	if (cfg.collect & IPFT_COLLECT_TPARGS)
		ipft_tpargs_read(&a, ctx, ident);
	return handle_skb((struct sk_buff *)ctx[pos], ident, &a, typed);
}

/* skb:kfree_skb(skb, location[, reason (5.17+)[, rx_sk]]) and
 * skb:consume_skb(skb[, location]): the end of the packet. */
static __always_inline int tp_free(__u64 *ctx, bool drop, bool has_reason, bool typed)
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
	return handle_skb((struct sk_buff *)ctx[0], ipft_probe_ident(), &a, typed);
}

/* The templates of one program type.  The tp_btf ones read the hot
 * sk_buff fields with plain loads (skb_event.bpf.h, SKB_READ); each is
 * verified against one tracepoint that fits it (set by the tracer before
 * load, or not loaded) and cloned for the others.  The raw_tp ones are the
 * fallback. */
#define IPFT_TP_TEMPLATES(sec, prefix, typed)                                        \
	SEC(sec) int prefix##skb0(__u64 *ctx) { return tp_hit(ctx, 0, typed); }       \
	SEC(sec) int prefix##skb1(__u64 *ctx) { return tp_hit(ctx, 1, typed); }       \
	SEC(sec) int prefix##skb2(__u64 *ctx) { return tp_hit(ctx, 2, typed); }       \
	SEC(sec) int prefix##skb3(__u64 *ctx) { return tp_hit(ctx, 3, typed); }       \
	SEC(sec) int prefix##kfree_skb_reason(__u64 *ctx)                              \
	{                                                                              \
		return tp_free(ctx, true, true, typed);                                \
	}                                                                              \
	SEC(sec) int prefix##kfree_skb(__u64 *ctx) { return tp_free(ctx, true, false, typed); } \
	SEC(sec) int prefix##consume_skb(__u64 *ctx) { return tp_free(ctx, false, false, typed); }

IPFT_TP_TEMPLATES("raw_tp", ipft_tp_, false)
IPFT_TP_TEMPLATES("tp_btf", ipft_tpb_, true)

#endif
