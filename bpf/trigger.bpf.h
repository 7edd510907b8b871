/* trigger.bpf.h - the flight recorder (--trigger).
 *
 * Every packet is followed as without a trigger, but its hits are held in
 * its tracking entry's slots instead of going out when they are full or
 * the packet ends.  A packet that meets the trigger (a drop, a drop
 * reason, an attach point, a latency) leaves the kernel there: its header
 * bytes as they are at that hit, then every hit held since its start,
 * then its later hits as usual.  A packet that ends (freed, retired,
 * evicted) without meeting it is forgotten in the kernel and counted
 * (IPFT_STAT_DISCARDED); so is one ipft sweeps from the map.
 *
 * The slots are the only room: a packet whose path outgrows them before
 * it triggers keeps its first half (where it started) and loses the rest,
 * again each time they fill; if it triggers later it goes out marked
 * with hits lost (the trace's "events lost" flag), counted then
 * (IPFT_STAT_TRIGGER_OVERFLOW).
 *
 * Included by bpf/skb_event.bpf.h after count(), untrack() and struct
 * ipft_hit_args.
 */
#ifndef IPFT_TRIGGER_BPF_H
#define IPFT_TRIGGER_BPF_H

/* --trigger func=REGEX: 1 at the probe ids of the attach points it names
 * (filled by tracer/filter/trigger.c before anything attaches). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u8);
	__uint(max_entries, IPFT_TRIGGER_AT_MAX);
} trigger_at SEC(".maps");

/* The packet's hits stay in the kernel for now.  cfg.trigger is frozen:
 * without a trigger the verifier drops every held branch. */
static __always_inline bool ipft_held(const struct ipft_live *t)
{
	return cfg.trigger && !t->triggered;
}

/* A hit that stays held and ends nothing: no CPU but this one reads a
 * held packet's slots before it fires (a CPU that ends it forgets it
 * unread, counted as discarded), so such a hit needs no fenced check
 * after its write (hit_raced): about 6 ns of a held hit's 107 on the
 * development VM (docs/performance.md). */
static __always_inline bool ipft_held_quietly(const struct ipft_live *t,
					      const struct ipft_hit_args *a)
{
	return ipft_held(t) && !(a->flags & IPFT_HIT_FREE) && !t->freeing;
}

/* Whether this hit meets the trigger. */
static __always_inline bool ipft_trigger_met(const struct ipft_live *t,
					     const struct ipft_hit_args *a, __u32 probe_id,
					     __u64 now)
{
	bool drop = a->flags & IPFT_HIT_DROP;
	/* IPFT_HIT_DROP_ARGS: read into t already (drop_args_read). */
	__u32 reason = (a->flags & IPFT_HIT_DROP_ARGS) ? t->drop_reason : a->drop_reason;
	__u8 *at;

	if ((cfg.trigger & IPFT_TRIGGER_DROP) && drop)
		return true;
	if ((cfg.trigger & IPFT_TRIGGER_REASON) && drop && reason == cfg.trigger_reason)
		return true;
	if ((cfg.trigger & IPFT_TRIGGER_LATENCY) && now - t->first_ts > cfg.trigger_latency_ns)
		return true;
	if (cfg.trigger & IPFT_TRIGGER_FUNC) {
		at = bpf_map_lookup_elem(&trigger_at, &probe_id);
		return at && *at;
	}
	return false;
}

/* Held slots kept when they are full: where the packet started. */
#define IPFT_HELD_KEEP (IPFT_SLOTS / 2)

/* The held slots are full: the first IPFT_HELD_KEEP stay (the packet's
 * start), the rest go and fill again; the packet is marked (its next
 * record says hits were lost). */
static __always_inline void ipft_trigger_overflow(struct ipft_live *t)
{
	__u8 n_data = 0;

	for (int i = 0; i < IPFT_HELD_KEEP; i++)
		if (t->slot[i].kind >= IPFT_DATA_FIRST)
			n_data++;
	t->n = IPFT_HELD_KEEP;
	t->n_data = n_data;
	/* A free among the slots that went (inside functions that have not
	 * returned: function_graph) takes its reason with it. */
	if ((t->flags & IPFT_LIVE_FREED_HERE) && t->free_slot >= IPFT_HELD_KEEP)
		t->flags &= ~(IPFT_LIVE_FREED_HERE | IPFT_LIVE_HAS_REASON);
	t->overflowed = 1;
	t->lost = 1;
	/* The collectors send what they see again, from scratch. */
	__builtin_memset(&t->prev, 0, sizeof(t->prev));
}

/* The packet met the trigger: it leaves the kernel from now on (one whose
 * oldest hits went is counted). */
static __always_inline void ipft_trigger_fire(struct ipft_live *t)
{
	t->triggered = 1;
	if (t->overflowed)
		count(IPFT_STAT_TRIGGER_OVERFLOW);
}

/* A held packet ended without meeting the trigger: forgotten here. */
static __always_inline void ipft_discard(__u64 key)
{
	untrack(key);
	count(IPFT_STAT_DISCARDED);
}

#endif
