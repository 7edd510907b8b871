/* assemble.c - ring-buffer records to packets to events (assemble.h). */
#include "tracer/collect/assemble.h"
#include "tracer/collect/clock.h"
#include "tracer/collectors/collectors.h"
#include "tracer/collect/lineage.h"
#include "tracer/kernel/drop_reason.h"
#include "tracer/kernel/kallsyms.h"
#include "tracer/probes/probe.h"

#include <stdlib.h>
#include <string.h>

_Static_assert((int)IPFT_HIT_ENTRY == (int)IPFT_KIND_FUNC_ENTRY, "kinds differ");
_Static_assert((int)IPFT_HIT_RETURN == (int)IPFT_KIND_FUNC_RETURN, "kinds differ");
_Static_assert((int)IPFT_HIT_TRACEPOINT == (int)IPFT_KIND_TRACEPOINT, "kinds differ");

#define MIN_EVENTS 64 /* first size of the reused event array */

struct ipft_assembler {
	struct ipft_assembler_cfg cfg;
	struct ipft_packets *packets;
	uint64_t now_mono;
	struct ipft_assembly_counts counts;
	bool write_failed, count_reached;
	/* The events of the packet being written, made from its hits. */
	struct ipft_event *events;
	size_t cap_events;
	struct ipft_collect *collect; /* the key/values of -x */
	struct ipft_lineage *lineage; /* derived packets' parents (lineage.c) */
	/* The last drop location and its symbol: drops under a flood come
	 * from one place, and a lookup is a search of every kernel symbol. */
	uint64_t drop_sym_at;
	bool drop_sym_ok;             /* drop_sym holds drop_sym_at's symbol */
	char drop_sym[96];
};

/* ---- hits to events ------------------------------------------------- */

/* A return gets its call's duration from the entry it returns from: the
 * latest entry at its depth, found before any event of a shallower depth
 * (the caller's).  Both name the same attach point: the same name
 * pointer, from the attach-point table. */
static void pair_return(struct ipft_event *ev, size_t ret_index)
{
	struct ipft_event *ret = &ev[ret_index];

	for (size_t i = ret_index; i-- > 0;) {
		const struct ipft_event *e = &ev[i];
		if (e->depth < ret->depth)
			return;
		if (e->depth > ret->depth || e->kind != IPFT_KIND_FUNC_ENTRY)
			continue;
		if (e->name == ret->name && ret->ts_ns >= e->ts_ns) {
			ret->has |= IPFT_HAS_DURATION;
			ret->duration_ns = ret->ts_ns - e->ts_ns;
		}
		return;
	}
}

/* The drop reason and location (sym+off; the address only when asked
 * for), on the event that freed the skb. */
static void add_drop(struct ipft_assembler *a, const struct ipft_packet *p, struct ipft_event *e)
{
	e->has |= IPFT_HAS_DROP_REASON;
	e->drop_reason = p->drop_reason;
	e->drop_reason_name = ipft_drop_reason_name(a->cfg.reasons, p->drop_reason);
	if (a->cfg.raw_addresses) {
		e->has |= IPFT_HAS_DROP_LOCATION;
		e->drop_location = p->drop_location;
	}
	if (!a->drop_sym_ok || a->drop_sym_at != p->drop_location) {
		a->drop_sym_at = p->drop_location;
		a->drop_sym_ok = ipft_kallsyms_format(a->cfg.ksyms, p->drop_location, a->drop_sym,
						      sizeof(a->drop_sym)) == 0;
	}
	if (a->drop_sym_ok)
		e->drop_location_sym = a->drop_sym;
}

/* One hit becomes one event. */
static void make_event(struct ipft_assembler *a, const struct ipft_packet *p, size_t i,
		       struct ipft_event *e)
{
	const struct ipft_slot *sl = &p->hits[i];
	const struct ipft_probe *probe = &a->cfg.probes->v[sl->probe_id];

	/* Every field set, not memset() first: gcc clears the struct with
	 * rep stos, whose start-up was a seventh of the assembly's time
	 * (bench/replay).  A field added to the struct fails the assertion
	 * until it is set here too. */
	_Static_assert(sizeof(*e) == sizeof(e->ts_ns) + sizeof(e->cpu) + sizeof(e->kind) +
			       sizeof(e->flags) + sizeof(e->depth) + sizeof(e->name) + sizeof(e->has) +
			       sizeof(e->drop_reason) + sizeof(e->drop_reason_name) +
			       sizeof(e->drop_location) + sizeof(e->drop_location_sym) +
			       sizeof(e->retval) + sizeof(e->duration_ns) + sizeof(e->func_addr) +
			       sizeof(e->n_kv) + sizeof(e->kv),
		       "make_event sets every field of struct ipft_event");
	e->ts_ns = ipft_packet_wall_ns(p, a->cfg.clock, sl->ts);
	e->cpu = sl->cpu;
	e->kind = sl->kind;
	e->flags = ((int32_t)i == p->first_hit ? IPFT_EVF_FIRST : 0) |
		   ((int32_t)i == p->free_hit ? IPFT_EVF_FREE : 0);
	e->depth = sl->depth;
	e->name = probe->name;
	e->has = 0;
	e->drop_reason = 0;
	e->drop_reason_name = NULL;
	e->drop_location = 0;
	e->drop_location_sym = NULL;
	e->retval = 0;
	e->duration_ns = 0;
	e->func_addr = 0;
	e->n_kv = 0;
	e->kv = NULL;
	if (sl->kind == IPFT_HIT_RETURN && !probe->returns_void) {
		e->has |= IPFT_HAS_RETVAL;
		e->retval = sl->retval;
	}
	if (sl->func_ip && a->cfg.raw_addresses) {
		e->has |= IPFT_HAS_FUNC_ADDR;
		e->func_addr = sl->func_ip;
	}
	if ((int32_t)i == p->free_hit && p->has_reason)
		add_drop(a, p, e);
}

static int reserve_events(struct ipft_assembler *a, size_t n)
{
	size_t cap = n < MIN_EVENTS ? MIN_EVENTS : n;
	struct ipft_event *v;

	if (n <= a->cap_events)
		return 0;
	v = realloc(a->events, cap * sizeof(*v));
	if (!v)
		return -1;
	a->events = v;
	a->cap_events = cap;
	return 0;
}

/* The headers were taken at the first hit of the capturing attach point
 * (the kernel captures at the packet's first hit that can). */
static void mark_capture(struct ipft_packet *p, const char *cap_name)
{
	for (size_t i = 0; cap_name && i < p->n_events; i++) {
		if (p->events[i].name == cap_name) {
			p->events[i].flags |= IPFT_EVF_CAPTURE;
			p->capture_name = cap_name;
			return;
		}
	}
}

/* The events of the packet's hits, in the kernel's order, each with the
 * collectors' key/values from the data slots after it; how many. */
static size_t hits_to_events(struct ipft_assembler *a, const struct ipft_packet *p)
{
	size_t n = 0, data;

	for (size_t i = 0; i < p->n_hits; i += 1 + data) {
		for (data = 0; i + 1 + data < p->n_hits && ipft_slot_is_data(&p->hits[i + 1 + data]);)
			data++;
		if (ipft_slot_is_data(&p->hits[i]))
			continue; /* (data without its hit: none is sent so) */
		make_event(a, p, i, &a->events[n]);
		if (a->collect)
			ipft_collect_event(a->collect, &p->hits[i], &p->hits[i + 1], data,
					   &a->events[n]);
		n++;
	}
	return n;
}

/* The packet's events, made from its hits, in time order, returns paired
 * with their entries; 0 or -1 (no memory). */
static int make_events(struct ipft_assembler *a, struct ipft_packet *p)
{
	const struct ipft_probe_set *probes = a->cfg.probes;
	bool cap_known = p->captured && p->capture_probe >= 0 &&
			 (size_t)p->capture_probe < probes->n;
	size_t n;

	struct ipft_collect_packet pk = { .n_slots = p->n_hits, .extra = p->extra,
					  .extra_len = p->extra_len,
					  .capture = p->captured ? &p->cap : NULL };

	if (reserve_events(a, p->n_hits) < 0 || (a->collect && ipft_collect_begin(a->collect, &pk) < 0))
		return -1;
	n = hits_to_events(a, p);
	ipft_packet_events_sort(a->events, n);
	for (size_t i = 0; i < n; i++)
		if (a->events[i].kind == IPFT_KIND_FUNC_RETURN)
			pair_return(a->events, i);
	p->events = a->events;
	p->n_events = n;
	/* A packet without events (their record was lost) starts when the
	 * kernel first saw it. */
	p->wall_ts = p->n_events ? p->events[0].ts_ns
				  : ipft_packet_wall_ns(p, a->cfg.clock, p->first_ts);
	mark_capture(p, cap_known ? probes->v[p->capture_probe].name : NULL);
	ipft_lineage_place(a->lineage, p, probes, a->cfg.clock);
	return 0;
}

/* The table's callback: a packet ended. */
static void packet_done(struct ipft_packet *p, void *arg)
{
	struct ipft_assembler *a = arg;

	if (a->write_failed || a->count_reached)
		return;
	/* Headers but no hits: the packet's entry left the kernel's map (it
	 * is swept before ipft gives up on a packet), so the record holding
	 * its hits was lost. */
	if (!p->n_hits && !(p->flags & IPFT_TRACE_COMPLETE))
		p->flags |= IPFT_TRACE_EVENTS_LOST;
	if (make_events(a, p) < 0 || a->cfg.write(p, a->cfg.arg) < 0) {
		a->write_failed = true;
		return;
	}
	a->counts.written++;
	if (p->flags & IPFT_TRACE_PARTIAL)
		a->counts.partial++;
	if (a->cfg.max_written && a->counts.written >= a->cfg.max_written)
		a->count_reached = true;
}

/* ---- records to packets --------------------------------------------- */

/* One slot of a tracking entry becomes one hit of its packet. */
static void add_slot(struct ipft_assembler *a, struct ipft_packet *p, const struct ipft_live *r,
		     size_t i)
{
	const struct ipft_slot *sl = &r->slot[i];
	struct ipft_slot *h;

	if (!ipft_slot_is_data(sl) && sl->probe_id >= a->cfg.probes->n)
		return;
	if (!(h = ipft_packets_add_hit(a->packets, p))) {
		a->counts.over_cap++; /* the packet is flagged truncated */
		return;
	}
	*h = *sl;
	if (i == 0 && (r->flags & IPFT_LIVE_FIRST))
		p->first_hit = (int32_t)(p->n_hits - 1);
	if ((r->flags & IPFT_LIVE_FREED_HERE) && i == r->free_slot) {
		p->free_hit = (int32_t)(p->n_hits - 1);
		if (r->flags & IPFT_LIVE_HAS_REASON) {
			p->has_reason = true;
			p->drop_reason = r->drop_reason;
			p->drop_location = r->drop_location;
		}
	}
}

/* A packet's hits, from the ring buffer or taken from the map (alive:
 * the packet was not freed, its trace ends here as partial). */
static void on_hits(struct ipft_assembler *a, const struct ipft_live *r, bool alive)
{
	bool ends = alive || (r->flags & (IPFT_LIVE_FREE | IPFT_LIVE_RETIRED));
	struct ipft_packet *p = ipft_packets_get(a->packets, r->packet_id, a->now_mono,
						 r->first_ts, true, !ends);
	size_t n = r->n < IPFT_SLOTS ? r->n : IPFT_SLOTS;

	if (!p)
		return;
	/* Its first hits: when it started (a capture may have come first). */
	if (r->flags & IPFT_LIVE_FIRST)
		ipft_packets_set_first_ts(a->packets, p, r->first_ts);
	/* New here (nothing yet) and not its first hits: its beginning was
	 * written or lost. */
	if (!(r->flags & IPFT_LIVE_FIRST) && p->n_hits == 0 && !p->captured)
		p->flags |= IPFT_TRACE_PARTIAL;
	if (r->flags & IPFT_LIVE_LOST_BEFORE || (alive && r->lost))
		p->flags |= IPFT_TRACE_EVENTS_LOST;
	for (size_t i = 0; i < n; i++)
		add_slot(a, p, r, i);
	if (alive)
		a->counts.swept_events += n - (r->n_data < n ? r->n_data : n);
	if (r->flags & IPFT_LIVE_FREE)
		ipft_packets_finish(a->packets, p, IPFT_TRACE_COMPLETE);
	else if (alive || (r->flags & IPFT_LIVE_RETIRED))
		ipft_packets_finish(a->packets, p, IPFT_TRACE_PARTIAL);
}

static void on_capture(struct ipft_assembler *a, const struct ipft_capture *c, size_t size)
{
	struct ipft_packet *p;

	if (offsetof(struct ipft_capture, data) + c->caplen > size)
		return;
	p = ipft_packets_get(a->packets, c->packet_id, a->now_mono, c->first_ts, true, true);
	if (p && c->snapshot)
		ipft_snaps_add(p, c, a->cfg.snaplen);
	else if (p && !p->captured)
		ipft_packets_set_capture(a->packets, p, c);
}

/* A new packet derived from a traced one (bpf/lineage.bpf.h). */
static void on_lineage(struct ipft_assembler *a, const struct ipft_lineage_rec *r)
{
	struct ipft_packet *parent = ipft_packets_get(a->packets, r->parent_id, a->now_mono, 0,
						      false, false);
	bool parent_captured = parent && parent->captured;
	struct ipft_packet *p = ipft_packets_get(a->packets, r->packet_id, a->now_mono,
						 r->first_ts, true, true);

	if (p)
		ipft_lineage_record(p, r, parent_captured);
	if (parent && r->kind == IPFT_LINEAGE_MERGED)
		ipft_lineage_merged_into(parent, r->packet_id);
}

/* A collector's record of its own (a stack): kept with its packet until
 * it is written, lost with the packet's room for them. */
static void on_extra(struct ipft_assembler *a, const void *data, size_t size)
{
	const struct ipft_collect_rec_hdr *h = data;
	struct ipft_packet *p;

	if (!a->collect)
		return;
	p = ipft_packets_get(a->packets, h->packet_id, a->now_mono, h->ts, true, true);
	if (p && !ipft_packets_add_extra(p, data, size))
		p->flags |= IPFT_TRACE_EVENTS_LOST;
}

void ipft_assembler_record(struct ipft_assembler *a, const void *data, size_t size)
{
	const size_t hits_hdr = offsetof(struct ipft_live, slot);
	uint32_t type;

	if (size < sizeof(type))
		return;
	a->counts.ring_bytes += size;
	memcpy(&type, data, sizeof(type));
	if (type == IPFT_REC_HITS && size >= hits_hdr) {
		const struct ipft_live *r = data;
		if (size >= hits_hdr + (size_t)r->n * sizeof(struct ipft_slot))
			on_hits(a, r, false);
	} else if (type == IPFT_REC_LINEAGE && size >= sizeof(struct ipft_lineage_rec)) {
		on_lineage(a, data);
	} else if (type == IPFT_REC_CAPTURE && size >= offsetof(struct ipft_capture, data)) {
		on_capture(a, data, size);
	} else if (type == IPFT_REC_STACK && size >= sizeof(struct ipft_collect_rec_hdr)) {
		on_extra(a, data, size);
	}
}

void ipft_assembler_swept(struct ipft_assembler *a, const struct ipft_live *entry)
{
	on_hits(a, entry, true);
}

/* ---- life cycle ------------------------------------------------------ */

struct ipft_assembler *ipft_assembler_new(const struct ipft_assembler_cfg *cfg)
{
	struct ipft_assembler *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->cfg = *cfg;
	a->lineage = ipft_lineage_new(); /* without: no lineage, all else */
	a->packets = ipft_packets_new(cfg->max_inflight, cfg->max_hits, cfg->snaplen,
				      packet_done, a);
	if (cfg->collect)
		a->collect = ipft_collect_new(cfg->collect,
					      &(struct ipft_collect_env){
						      .ksyms = cfg->ksyms, .probes = cfg->probes,
						      .raw_addresses = cfg->raw_addresses,
						      .ext = cfg->ext });
	if (!a->packets || (cfg->collect && !a->collect)) {
		ipft_assembler_free(a);
		return NULL;
	}
	ipft_packets_set_order(a->packets, cfg->order_window_ns, cfg->order_settle_ns);
	return a;
}

void ipft_assembler_free(struct ipft_assembler *a)
{
	if (!a)
		return;
	ipft_packets_free(a->packets);
	ipft_lineage_free(a->lineage);
	ipft_collect_free(a->collect);
	free(a->events);
	free(a);
}

void ipft_assembler_set_now(struct ipft_assembler *a, uint64_t now_mono)
{
	a->now_mono = now_mono;
}

void ipft_assembler_expire(struct ipft_assembler *a, uint64_t older_than)
{
	ipft_packets_expire(a->packets, a->now_mono, older_than);
}

void ipft_assembler_flush_all(struct ipft_assembler *a)
{
	ipft_packets_flush_all(a->packets);
}

bool ipft_assembler_count_reached(const struct ipft_assembler *a)
{
	return a->count_reached;
}

bool ipft_assembler_write_failed(const struct ipft_assembler *a)
{
	return a->write_failed;
}

struct ipft_assembly_counts ipft_assembler_counts(const struct ipft_assembler *a)
{
	return a->counts;
}
