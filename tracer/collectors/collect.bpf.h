/* collect.bpf.h - the collectors' BPF side (-x): what they add to a hit.
 *
 * A collector reads what it wants at the hit and, when that differs from
 * what it last sent of this packet (struct ipft_live.prev), appends a data
 * slot (struct ipft_data_slot) right after the hit's slot.  Room for a
 * hit's data is kept before the hit is recorded, so a hit and its data
 * always travel in the same record.  Each collector is off unless
 * cfg.collect names it: frozen rodata, so the verifier drops its code.
 * So is a user extension (-e, ext.bpf.h) unless one is linked in.
 *
 * The stack collector's stacks do not fit a slot: they go out as records
 * of their own, before the hit's (ipft_collect_record()).
 *
 * Included by bpf/skb_event.bpf.h (after cfg, SKB_READ, netns_of, count,
 * wakeup_flag and struct ipft_hit_args).
 */
#ifndef IPFT_COLLECT_BPF_H
#define IPFT_COLLECT_BPF_H

/* The next slot of t, as a data slot of this kind. */
static __always_inline struct ipft_data_slot *ipft_data_slot(struct ipft_live *t, __u8 kind)
{
	struct ipft_data_slot *d = (struct ipft_data_slot *)&t->slot[ipft_bound(t->n, IPFT_SLOTS - 1)];

	d->kind = kind;
	d->aux = 0;
	t->n++;
	t->n_data++;
	return d;
}

#include "tracer/collectors/meta.bpf.h"
#include "tracer/collectors/task.bpf.h"
#include "tracer/collectors/stack.bpf.h"
#include "tracer/collectors/tpargs.bpf.h"
#include "tracer/collectors/ext.bpf.h"

/* The most data slots one hit adds. */
static __always_inline __u32 ipft_collect_room(void)
{
	return ((cfg.collect & IPFT_COLLECT_META) ? IPFT_META_SLOTS_MAX : 0) +
	       ((cfg.collect & IPFT_COLLECT_TASK) ? 1 : 0) +
	       ((cfg.collect & IPFT_COLLECT_TPARGS) ? 1 : 0) + ipft_ext_slots();
}

/* The collectors' part of a hit (not of a return: the skb may be gone).
 * cast: the program may cast pointers (ipft_rdonly_cast()); captured: the
 * packet's first capture went out at this hit. */
static __always_inline void ipft_collect_hit(struct ipft_live *t, struct ipft_slot *hit,
					     struct sk_buff *skb, bool typed, bool cast,
					     const struct ipft_hit_args *a, bool captured)
{
	if (cfg.collect & IPFT_COLLECT_META)
		ipft_meta_hit(t, hit, skb, typed, cast, captured);
	if (cfg.collect & IPFT_COLLECT_TASK)
		ipft_task_hit(t);
	if (cfg.collect & IPFT_COLLECT_TPARGS)
		ipft_tpargs_hit(t, a);
	if (ipft_ext_size)
		ipft_ext_hit(t, skb, a);
}

/* Before the hit is recorded: what goes out as a record of its own (a
 * stack), ahead of the record that holds the hit. */
static __always_inline void ipft_collect_record(const struct ipft_live *t,
						const struct ipft_hit_args *a, __u32 probe_id,
						__u64 now)
{
	if (cfg.collect & IPFT_COLLECT_STACK)
		ipft_stack_hit(t, a, probe_id, now);
}

/* A record of this packet was lost, with what it said: say it all again. */
static __always_inline void ipft_collect_lost(struct ipft_live *t)
{
	t->prev.meta.valid = 0;
	t->prev.task.context = 0;
	t->prev.ext.valid = 0;
}

#endif
