/* stack.bpf.h - the stack collector's BPF side (-x stack): the kernel
 * stack at a drop (a free with a drop reason) and at every hit of the
 * attach points --stack-at names (the stack_at map, filled by the
 * tracer), sent as a record of its own (stack_rec.h) before the hit's.
 * The tracer's side is stack.c.
 */
#ifndef IPFT_STACK_BPF_H
#define IPFT_STACK_BPF_H

#include "tracer/collectors/stack_rec.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u8);   /* 1: a stack at each hit of this probe id */
	__uint(max_entries, IPFT_STACK_AT_MAX);
} stack_at SEC(".maps");

static __always_inline bool stack_wanted(const struct ipft_hit_args *a, __u32 probe_id)
{
	__u8 *at;

	if (a->flags & IPFT_HIT_DROP)
		return true;
	at = bpf_map_lookup_elem(&stack_at, &probe_id);
	return at && *at;
}

static __always_inline void ipft_stack_hit(const struct ipft_live *t, const struct ipft_hit_args *a,
					   __u32 probe_id, __u64 now)
{
	struct ipft_stack_rec *r;
	long n;

	if (!a->ctx || !stack_wanted(a, probe_id))
		return;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count(IPFT_STAT_LOST_RINGBUF);
		return;
	}
	n = bpf_get_stack(a->ctx, r->ips, sizeof(r->ips), 0);
	r->type = IPFT_REC_STACK;
	r->nr = n > 0 ? (__u32)(n / sizeof(r->ips[0])) : 0;
	r->packet_id = t->packet_id;
	r->ts = now;
	r->probe_id = probe_id;
	r->pad = 0;
	bpf_ringbuf_submit(r, wakeup_flag(sizeof(*r) + 8, true));
}

#endif
