// SPDX-License-Identifier: GPL-2.0
/* ipft.bpf.c - program templates, one per way of finding the skb.
 *
 * The tracer loads this object once (maps + templates), then loads one clone
 * of a template per attach point with that point's probe id patched in
 * (tracer/prog_load.c).  Raw tracepoint programs get the tracepoint's
 * arguments as an array of u64; the template is chosen by the position of
 * the struct sk_buff * among them.
 */
#include "skb_event.bpf.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline int tp_hit(void *skb)
{
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT };
	return ipft_handle_skb(skb, ipft_probe_ident(), &a);
}

SEC("raw_tp")
int ipft_tp_skb0(struct bpf_raw_tracepoint_args *ctx)
{
	return tp_hit((void *)ctx->args[0]);
}

SEC("raw_tp")
int ipft_tp_skb1(struct bpf_raw_tracepoint_args *ctx)
{
	return tp_hit((void *)ctx->args[1]);
}

SEC("raw_tp")
int ipft_tp_skb2(struct bpf_raw_tracepoint_args *ctx)
{
	return tp_hit((void *)ctx->args[2]);
}

SEC("raw_tp")
int ipft_tp_skb3(struct bpf_raw_tracepoint_args *ctx)
{
	return tp_hit((void *)ctx->args[3]);
}

/* skb:kfree_skb(skb, location, reason[, rx_sk]): reason since 5.17. */
SEC("raw_tp")
int ipft_tp_kfree_skb_reason(struct bpf_raw_tracepoint_args *ctx)
{
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_TRACEPOINT,
		.flags = IPFT_HIT_FREE | IPFT_HIT_HAS_REASON,
		.drop_location = ctx->args[1],
		.drop_reason = (__u32)ctx->args[2],
	};
	return ipft_handle_skb((void *)ctx->args[0], ipft_probe_ident(), &a);
}

SEC("raw_tp")
int ipft_tp_kfree_skb(struct bpf_raw_tracepoint_args *ctx)
{
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_TRACEPOINT,
		.flags = IPFT_HIT_FREE | IPFT_HIT_HAS_REASON,
		.drop_location = ctx->args[1],
	};
	return ipft_handle_skb((void *)ctx->args[0], ipft_probe_ident(), &a);
}

/* skb:consume_skb: the normal end of a packet's life. */
SEC("raw_tp")
int ipft_tp_consume_skb(struct bpf_raw_tracepoint_args *ctx)
{
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT, .flags = IPFT_HIT_FREE };
	return ipft_handle_skb((void *)ctx->args[0], ipft_probe_ident(), &a);
}

/* The same templates as tp_btf programs: the verifier knows the type of
 * each argument, so the hot sk_buff fields are read with plain loads
 * (skb_event.bpf.h, SKB_READ).  Each is verified against one tracepoint
 * that fits it (set by the tracer before load, or not loaded) and cloned
 * for the others; the raw_tp templates above are the fallback. */
static __always_inline int tpb_hit(void *skb)
{
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT };
	return ipft_handle_typed_skb(skb, ipft_probe_ident(), &a);
}

SEC("tp_btf")
int ipft_tpb_skb0(__u64 *ctx)
{
	return tpb_hit((void *)ctx[0]);
}

SEC("tp_btf")
int ipft_tpb_skb1(__u64 *ctx)
{
	return tpb_hit((void *)ctx[1]);
}

SEC("tp_btf")
int ipft_tpb_skb2(__u64 *ctx)
{
	return tpb_hit((void *)ctx[2]);
}

SEC("tp_btf")
int ipft_tpb_skb3(__u64 *ctx)
{
	return tpb_hit((void *)ctx[3]);
}

SEC("tp_btf")
int ipft_tpb_kfree_skb_reason(__u64 *ctx)
{
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_TRACEPOINT,
		.flags = IPFT_HIT_FREE | IPFT_HIT_HAS_REASON,
		.drop_location = ctx[1],
		.drop_reason = (__u32)ctx[2],
	};
	return ipft_handle_typed_skb((void *)ctx[0], ipft_probe_ident(), &a);
}

SEC("tp_btf")
int ipft_tpb_kfree_skb(__u64 *ctx)
{
	struct ipft_hit_args a = {
		.kind = IPFT_HIT_TRACEPOINT,
		.flags = IPFT_HIT_FREE | IPFT_HIT_HAS_REASON,
		.drop_location = ctx[1],
	};
	return ipft_handle_typed_skb((void *)ctx[0], ipft_probe_ident(), &a);
}

SEC("tp_btf")
int ipft_tpb_consume_skb(__u64 *ctx)
{
	struct ipft_hit_args a = { .kind = IPFT_HIT_TRACEPOINT, .flags = IPFT_HIT_FREE };
	return ipft_handle_typed_skb((void *)ctx[0], ipft_probe_ident(), &a);
}

#include "func_progs.bpf.h"
