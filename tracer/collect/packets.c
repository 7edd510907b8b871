/* packets.c - the table of packets in flight.
 *
 * Keyed by packet_id (open addressing, linear probing: the ids sit in the
 * table beside the pointers, so looking up a new packet touches no packet
 * memory; a chained table's walk was a cache miss per link), bounded in number of packets
 * and in hits per packet, so a flood of packets that are never freed
 * cannot grow ipft without limit.  A list in order of last activity makes
 * expiry and the bound O(1) per packet.  A packet is one block sized to
 * the run's snaplen, its first hits inside it: under a flood the table
 * holds tens of thousands of packets, and its size in memory (cache and
 * TLB misses, page faults) was most of what ipft spent per packet.  The
 * packets, the table and the write order are on huge pages
 * (huge_pages.h): a quarter less of ipft's time per event under the
 * bench's flood (docs/performance.md).
 *
 * A 4-ary heap keyed by the time of their first hit keeps the packets
 * held, so finished packets are written in that order
 * (ipft_packets_set_order): a capture file's packets in time order, as
 * every tool expects.  O(log n) a packet however they come: a stop drains
 * hundreds of thousands of old packets swept from the kernel's map, and a
 * sorted list was quadratic there (minutes to stop after a flood).
 */
#include "tracer/collect/packets.h"
#include "tracer/collect/clock.h"
#include "tracer/collect/huge_pages.h"

#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include <string.h>

/* Packet memory comes in chunks of this size (a packet is at most
 * IPFT_SNAPLEN_MAX and its hits: dozens fit). */
#define PACKET_CHUNK (4u << 20)
#define CHUNK_HEAD 64
#if defined(__SANITIZE_ADDRESS__)
#define PACKET_REDZONE 64
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PACKET_REDZONE 64
#endif
#endif
#ifndef PACKET_REDZONE
#define PACKET_REDZONE 0
#endif
_Static_assert(sizeof(struct ipft_packet) + 63 + PACKET_REDZONE <= PACKET_CHUNK - CHUNK_HEAD,
	       "the largest packet fits a chunk");

/* A table slot: p NULL when empty. */
struct slot {
	uint64_t id;
	struct ipft_packet *p;
};

/* A place in the write order, with the packet's key beside it: sifting
 * compares keys in the heap's own array, not in packets spread over
 * memory (a cache miss a level under a flood).  The heap is 4-ary: half
 * the levels of a binary one, a node's children side by side. */
#define ORDER_ARITY 4
#define ORDER_PARENT(i) (((i) - 1) / ORDER_ARITY)
struct order_ent {
	uint64_t first_ts, seq;
	struct ipft_packet *p;
};

/* Whether entry e still stands for its packet: an entry is left behind
 * when its packet's first hit moves (ipft_packets_set_first_ts) and when
 * the packet is reused.  Entries are not found and taken out one by one:
 * that needed each packet to know its place, a write to packet memory
 * (a cache miss under a flood) at every level an entry moved. */
static bool order_valid(const struct order_ent *e)
{
	return e->p->ordered && e->p->order_seq == e->seq;
}

struct ipft_packets {
	struct slot *slots;                   /* twice --max-inflight, a power of two */
	size_t mask;
	struct ipft_packet *oldest, *newest;  /* activity list */
	struct ipft_packet *last;             /* last looked up: events come in runs */
	struct ipft_packet *spare;            /* freed packets kept for reuse */
	uint8_t *chunk;                       /* where new packets are cut from */
	size_t chunk_used, stride;
	struct order_ent *order;              /* write order: a heap, earliest first */
	size_t n_order, cap_order;
	uint64_t order_seq;                   /* packets put in the write order so far */
	uint64_t window_ns, settle_ns;        /* ipft_packets_set_order; 0: none */
	uint64_t now;                         /* latest time seen, CLOCK_MONOTONIC */
	size_t n_waiting;                     /* finished, waiting for their turn */
	size_t n, max_inflight, max_hits;
	size_t packet_size;                   /* struct ipft_packet up to snaplen bytes */
	ipft_packet_done_fn done;
	void *arg;
};

/* The home slot of an id (packet ids are a salt and a counter: mixed
 * fully, as linear probing needs). */
static size_t home_of(const struct ipft_packets *t, uint64_t id)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdull;
	id ^= id >> 33;
	id *= 0xc4ceb9fe1a85ec53ull;
	id ^= id >> 33;
	return (size_t)id & t->mask;
}

/* The slot holding id, or the empty slot ending its probe sequence. */
static size_t slot_of(const struct ipft_packets *t, uint64_t id)
{
	size_t i = home_of(t, id);

	while (t->slots[i].p && t->slots[i].id != id)
		i = (i + 1) & t->mask;
	return i;
}

/* Empties slot i, moving back later entries of the probe run that would
 * otherwise no longer be found (no tombstones). */
static void slot_delete(struct ipft_packets *t, size_t i)
{
	size_t j = i;

	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slots[j].p)
			break;
		size_t k = home_of(t, t->slots[j].id);
		/* Entry j may move to i unless its home lies cyclically in (i, j]. */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].p = NULL;
}

struct ipft_packets *ipft_packets_new(size_t max_inflight, size_t max_hits, size_t snaplen,
				      ipft_packet_done_fn done, void *arg)
{
	struct ipft_packets *t = calloc(1, sizeof(*t));
	size_t ns = 1024;

	if (!t)
		return NULL;
	/* At most half full: short probe runs. */
	while (ns < 2 * max_inflight && ns < (1u << 26))
		ns *= 2;
	if (max_inflight > ns / 2)
		max_inflight = ns / 2;
	t->slots = ipft_huge_alloc(ns * sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	t->mask = ns - 1;
	t->max_inflight = max_inflight;
	t->max_hits = max_hits;
	if (snaplen > IPFT_SNAPLEN_MAX)
		snaplen = IPFT_SNAPLEN_MAX;
	t->packet_size = offsetof(struct ipft_packet, cap) + offsetof(struct ipft_capture, data) +
			 snaplen;
	t->stride = ((t->packet_size + 63) & ~(size_t)63) + PACKET_REDZONE;
	t->done = done;
	t->arg = arg;
	return t;
}

/* What a packet holds besides itself (its memory is the chunk's). */
static void packet_free(struct ipft_packet *p)
{
	if (p->hits != p->inline_hits)
		free(p->hits);
	free(p->snaps);
	free(p->extra);
}

/* Keeps finished packets for reuse, as many as were ever in flight at
 * once (at most --max-inflight): a flood of packets would otherwise be a
 * flood of allocations.  A packet's heap hits go back now. */
static void packet_release(struct ipft_packets *t, struct ipft_packet *p)
{
	if (p->hits != p->inline_hits) {
		free(p->hits);
		p->hits = p->inline_hits;
	}
	free(p->snaps);
	p->snaps = NULL;
	free(p->extra);
	p->extra = NULL;
	p->next = t->spare;
	t->spare = p;
}

/* A new packet, zeroed, cut from a chunk on huge pages (huge_pages.h):
 * packets are never handed back one by one (they go to the spare list),
 * the chunks go when the table does.  Each chunk begins with the address
 * of the one before.  Under AddressSanitizer a packet is followed by a
 * poisoned red zone, as a heap block is. */
static struct ipft_packet *packet_cut(struct ipft_packets *t)
{
	struct ipft_packet *p;

	if (!t->chunk || t->chunk_used + t->stride > PACKET_CHUNK) {
		uint8_t *c = ipft_huge_alloc(PACKET_CHUNK);

		if (!c)
			return NULL;
		memcpy(c, &t->chunk, sizeof(t->chunk));
		ASAN_POISON_MEMORY_REGION(c + CHUNK_HEAD, PACKET_CHUNK - CHUNK_HEAD);
		t->chunk = c;
		t->chunk_used = CHUNK_HEAD;
	}
	p = (struct ipft_packet *)(t->chunk + t->chunk_used);
	t->chunk_used += t->stride;
	ASAN_UNPOISON_MEMORY_REGION(p, t->packet_size);
	return p;
}

static void chunks_free(struct ipft_packets *t)
{
	while (t->chunk) {
		uint8_t *c = t->chunk;

		memcpy(&t->chunk, c, sizeof(t->chunk));
		ASAN_UNPOISON_MEMORY_REGION(c, PACKET_CHUNK);
		ipft_huge_free(c, PACKET_CHUNK);
	}
}

static struct ipft_packet *packet_alloc(struct ipft_packets *t)
{
	struct ipft_packet *p = t->spare;

	if (p) {
		t->spare = p->next;
		memset(p, 0, offsetof(struct ipft_packet, inline_hits));
	} else if (!(p = packet_cut(t))) {
		return NULL;
	}
	p->hits = p->inline_hits;
	p->cap_hits = IPFT_PACKET_INLINE_HITS;
	p->first_hit = p->free_hit = -1;
	p->capture_probe = -1;
	return p;
}

void ipft_packets_free(struct ipft_packets *t)
{
	if (!t)
		return;
	for (size_t i = 0; i <= t->mask; i++)
		if (t->slots[i].p)
			packet_free(t->slots[i].p);
	for (size_t i = 0; i < t->n_order; i++)
		if (order_valid(&t->order[i]) && t->order[i].p->done)
			packet_free(t->order[i].p);
	ipft_huge_free(t->order, t->cap_order * sizeof(*t->order));
	while (t->spare) {
		struct ipft_packet *p = t->spare;
		t->spare = p->next;
		packet_free(p);
	}
	chunks_free(t);
	ipft_huge_free(t->slots, (t->mask + 1) * sizeof(*t->slots));
	free(t);
}

static void lru_unlink(struct ipft_packets *t, struct ipft_packet *p)
{
	if (p->older)
		p->older->newer = p->newer;
	else
		t->oldest = p->newer;
	if (p->newer)
		p->newer->older = p->older;
	else
		t->newest = p->older;
	p->older = p->newer = NULL;
}

static void lru_append(struct ipft_packets *t, struct ipft_packet *p)
{
	p->older = t->newest;
	p->newer = NULL;
	if (t->newest)
		t->newest->newer = p;
	else
		t->oldest = p;
	t->newest = p;
}

/* ---- write order -------------------------------------------------- */

/* Whether a goes before b: the earlier first hit; on a tie, the one put
 * in the order first. */
static bool order_before(const struct order_ent *a, const struct order_ent *b)
{
	return a->first_ts < b->first_ts || (a->first_ts == b->first_ts && a->seq < b->seq);
}

static void order_sift_up(struct ipft_packets *t, size_t i)
{
	struct order_ent e = t->order[i];

	while (i > 0 && order_before(&e, &t->order[ORDER_PARENT(i)])) {
		t->order[i] = t->order[ORDER_PARENT(i)];
		i = ORDER_PARENT(i);
	}
	t->order[i] = e;
}

static void order_sift_down(struct ipft_packets *t, size_t i)
{
	struct order_ent e = t->order[i];
	size_t c, first;

	while ((first = ORDER_ARITY * i + 1) < t->n_order) {
		c = first; /* the earliest child */
		for (size_t k = first + 1; k < first + ORDER_ARITY && k < t->n_order; k++)
			if (order_before(&t->order[k], &t->order[c]))
				c = k;
		if (!order_before(&t->order[c], &e))
			break;
		t->order[i] = t->order[c];
		i = c;
	}
	t->order[i] = e;
}

static void order_pop(struct ipft_packets *t)
{
	t->order[0] = t->order[--t->n_order];
	if (t->n_order)
		order_sift_down(t, 0);
}

/* The earliest packet in the write order, entries left behind dropped. */
static struct ipft_packet *order_first(struct ipft_packets *t)
{
	while (t->n_order && !order_valid(&t->order[0]))
		order_pop(t);
	return t->n_order ? t->order[0].p : NULL;
}

/* Takes the first packet (order_first()) out of the order. */
static void order_unlink_first(struct ipft_packets *t, struct ipft_packet *p)
{
	p->ordered = false;
	order_pop(t);
}

/* Without memory for a larger heap the packet stays out of the order:
 * written when it ends, out of place, as an overdue one. */
static void order_insert(struct ipft_packets *t, struct ipft_packet *p)
{
	struct order_ent e = { .first_ts = p->first_ts, .p = p };

	if (t->n_order == t->cap_order) {
		/* On huge pages too: under a flood it holds tens of thousands. */
		size_t cap = t->cap_order ? 2 * t->cap_order : IPFT_HUGE_PAGE / sizeof(e);
		struct order_ent *v = ipft_huge_alloc(cap * sizeof(*v));
		if (!v)
			return;
		if (t->n_order)
			memcpy(v, t->order, t->n_order * sizeof(*v));
		ipft_huge_free(t->order, t->cap_order * sizeof(*v));
		t->order = v;
		t->cap_order = cap;
	}
	e.seq = t->order_seq++;
	p->order_seq = e.seq;
	p->ordered = true;
	t->order[t->n_order++] = e;
	order_sift_up(t, t->n_order - 1);
}

static void write_packet(struct ipft_packets *t, struct ipft_packet *p)
{
	t->done(p, t->arg);
	packet_release(t, p);
}

/* Writes the finished packets at the front of the order whose turn came;
 * a packet in flight there for longer than the window stops holding the
 * others back, and so does one when too many wait behind it.  draining:
 * everything has finished, write it all. */
static void write_ready(struct ipft_packets *t, bool draining)
{
	struct ipft_packet *p;

	while ((p = order_first(t))) {
		if (p->done && (draining || p->first_ts + t->settle_ns <= t->now)) {
			order_unlink_first(t, p);
			t->n_waiting--;
			write_packet(t, p);
		} else if (!p->done && (p->first_ts + t->window_ns <= t->now ||
					t->n_waiting >= t->max_inflight)) {
			order_unlink_first(t, p); /* overdue: written when it ends */
		} else {
			return;
		}
	}
}

void ipft_packets_set_order(struct ipft_packets *t, uint64_t window_ns, uint64_t settle_ns)
{
	t->window_ns = window_ns;
	t->settle_ns = settle_ns;
}

void ipft_packets_set_first_ts(struct ipft_packets *t, struct ipft_packet *p, uint64_t first_ts)
{
	if (p->first_ts == first_ts)
		return;
	p->first_ts = first_ts;
	/* Its entry under the old time is left behind (order_valid()). */
	if (p->ordered)
		order_insert(t, p);
}

/* ---- lookup -------------------------------------------------------- */

struct ipft_packet *ipft_packets_get(struct ipft_packets *t, uint64_t packet_id,
				     uint64_t now_mono, uint64_t first_ts, bool create, bool touch)
{
	struct ipft_packet *p = t->last;

	if (now_mono > t->now)
		t->now = now_mono;
	if (!(p && p->packet_id == packet_id))
		p = t->slots[slot_of(t, packet_id)].p;
	if (p) {
		/* Moving a packet in the activity list touches its neighbours
		 * (cache misses under a flood): not for one about to go. */
		if (touch && now_mono > p->last_mono_ns) {
			p->last_mono_ns = now_mono;
			if (p != t->newest) {
				lru_unlink(t, p);
				lru_append(t, p);
			}
		}
		t->last = p;
		return p;
	}
	if (!create)
		return NULL;
	if (t->n >= t->max_inflight && t->oldest)
		ipft_packets_finish(t, t->oldest, IPFT_TRACE_PARTIAL);
	p = packet_alloc(t);
	if (!p)
		return NULL;
	p->packet_id = packet_id;
	p->last_mono_ns = now_mono;
	p->first_ts = first_ts;
	if (t->window_ns)
		order_insert(t, p);
	/* After the oldest went: its removal may have moved slots. */
	size_t i = slot_of(t, packet_id);
	t->slots[i].id = packet_id;
	t->slots[i].p = p;
	lru_append(t, p);
	t->last = p;
	t->n++;
	return p;
}

struct ipft_slot *ipft_packets_add_hit(struct ipft_packets *t, struct ipft_packet *p)
{
	if (p->n_hits >= t->max_hits) {
		p->flags |= IPFT_TRACE_TRUNCATED;
		return NULL;
	}
	if (p->n_hits == p->cap_hits) {
		size_t cap = 2 * p->cap_hits;
		struct ipft_slot *h = malloc(cap * sizeof(*h));
		if (!h) {
			p->flags |= IPFT_TRACE_TRUNCATED;
			return NULL;
		}
		memcpy(h, p->hits, p->n_hits * sizeof(*h));
		if (p->hits != p->inline_hits)
			free(p->hits);
		p->hits = h;
		p->cap_hits = cap;
	}
	return &p->hits[p->n_hits++];
}

bool ipft_packets_add_extra(struct ipft_packet *p, const void *rec, size_t size)
{
	size_t need = p->extra_len + ((8 + size + 7) & ~(size_t)7);
	uint32_t len = (uint32_t)size;

	if (need > IPFT_PACKET_EXTRA_MAX)
		return false;
	if (need > p->extra_cap) {
		size_t cap = p->extra_cap ? 2 * p->extra_cap : 1024;
		uint8_t *b;
		while (cap < need)
			cap *= 2;
		if (!(b = realloc(p->extra, cap)))
			return false;
		p->extra = b;
		p->extra_cap = cap;
	}
	memcpy(p->extra + p->extra_len, &len, sizeof(len));
	memcpy(p->extra + p->extra_len + 8, rec, size);
	p->extra_len = need;
	return true;
}

bool ipft_packets_set_capture(struct ipft_packets *t, struct ipft_packet *p,
			      const struct ipft_capture *c)
{
	size_t n = offsetof(struct ipft_capture, data) + c->caplen;

	if (offsetof(struct ipft_packet, cap) + n > t->packet_size)
		return false;
	memcpy(&p->cap, c, n);
	p->captured = true;
	p->capture_probe = c->probe_id;
	return true;
}

uint64_t ipft_packet_wall_ns(const struct ipft_packet *p, const struct ipft_clock *c,
			     uint64_t mono_ns)
{
	if (p->captured && p->cap.tai_ns)
		return mono_ns + (uint64_t)ipft_clock_offset_from_tai(c, p->cap.mono_ns, p->cap.tai_ns);
	return ipft_clock_real(c, mono_ns);
}

/* Insertion sort: stable (equal timestamps keep ring-buffer order) and
 * linear on the almost-sorted input the ring buffer delivers. */
void ipft_packet_events_sort(struct ipft_event *e, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (e[i - 1].ts_ns <= e[i].ts_ns)
			continue;
		struct ipft_event tmp = e[i];
		size_t j = i;
		while (j > 0 && e[j - 1].ts_ns > tmp.ts_ns) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = tmp;
	}
}

static void unlink_packet(struct ipft_packets *t, struct ipft_packet *p)
{
	size_t i = slot_of(t, p->packet_id);

	if (t->slots[i].p == p) {
		slot_delete(t, i);
		lru_unlink(t, p);
		if (t->last == p)
			t->last = NULL;
		t->n--;
	}
}

void ipft_packets_finish(struct ipft_packets *t, struct ipft_packet *p, uint32_t flags)
{
	unlink_packet(t, p);
	p->flags |= flags;
	if (!p->ordered) {
		write_packet(t, p);
		return;
	}
	p->done = true;
	t->n_waiting++;
	write_ready(t, false);
}

static void expire_idle(struct ipft_packets *t, uint64_t older_than)
{
	while (t->oldest && t->oldest->last_mono_ns < older_than)
		ipft_packets_finish(t, t->oldest, IPFT_TRACE_PARTIAL);
}

void ipft_packets_expire(struct ipft_packets *t, uint64_t now_mono, uint64_t older_than)
{
	if (now_mono > t->now)
		t->now = now_mono;
	expire_idle(t, older_than);
	write_ready(t, false);
}

void ipft_packets_flush_all(struct ipft_packets *t)
{
	expire_idle(t, UINT64_MAX);
	write_ready(t, true);
}

size_t ipft_packets_inflight(const struct ipft_packets *t)
{
	return t->n;
}
