/* packets.h - packets in flight: their hits, gathered from the ring
 * buffer until the skb is freed (or the packet is given up on). */
#ifndef IPFT_PACKETS_H
#define IPFT_PACKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "bpf/ipft_event.h"
#include "codec/ipft_format.h"

/* Hits kept in the packet itself; longer paths go to the heap. */
#define IPFT_PACKET_INLINE_HITS 16

struct ipft_packet {
	uint64_t packet_id;
	uint32_t flags;              /* IPFT_TRACE_* */
	uint64_t last_mono_ns;       /* when user space last heard of it */
	/* Hits as the kernel sent them (32 bytes each): a packet in flight
	 * holds no more than that; events are made when it is written. */
	struct ipft_slot *hits;      /* inline_hits, or a heap array */
	size_t n_hits, cap_hits;
	int32_t first_hit;           /* index of the packet's first hit, or -1 */
	int32_t free_hit;            /* index of the hit that freed the skb, or -1 */
	bool has_reason;             /* drop_reason, drop_location (of free_hit) */
	uint32_t drop_reason;
	uint64_t drop_location;
	/* Set only while the done callback runs: the events to write, in
	 * time order (names and reasons point into long-lived tables), and
	 * the name of the attach point where the headers were taken, if it
	 * is among them. */
	struct ipft_event *events;
	size_t n_events;
	uint64_t wall_ts;            /* its first event, or when it started if none */
	const char *capture_name;
	bool captured;
	int64_t capture_probe;       /* probe of the hit that captured, -1 if none */
	/* The collectors' records of this packet (-x stack's stacks), each a
	 * u32 size then the record, 8-aligned; NULL when none. */
	uint8_t *extra;
	size_t extra_len, extra_cap;
	/* Its header snapshots (tracer/collect/snaps.h): one allocation;
	 * NULL when none. */
	struct ipft_snaps *snaps;
	struct ipft_packet *next;    /* list of spare packets */
	struct ipft_packet *older, *newer; /* activity order, for expiry */
	/* Write order: by the kernel time of the first hit, while the packet
	 * is held (in flight, or finished and waiting for earlier ones). */
	uint64_t first_ts;
	uint64_t order_seq;          /* its entry in the write order's heap */
	bool ordered;                /* in the write order (not overdue) */
	bool done;                   /* finished, waiting for its turn */
	struct ipft_slot inline_hits[IPFT_PACKET_INLINE_HITS];
	/* Last: allocated up to the snaplen, not IPFT_SNAPLEN_MAX (valid
	 * when captured, data up to cap.caplen). */
	struct ipft_capture cap;
};

typedef void (*ipft_packet_done_fn)(struct ipft_packet *p, void *arg);

struct ipft_packets;

/* snaplen: the most header bytes a capture of this run holds. */
struct ipft_packets *ipft_packets_new(size_t max_inflight, size_t max_hits, size_t snaplen,
				      ipft_packet_done_fn done, void *arg);
/* Finished packets go to the done callback in the order of their first
 * hit: a finished packet waits while one that started earlier is still in
 * flight, for at most window_ns after that one started (then that one is
 * written whenever it ends, out of place), and at least settle_ns after
 * its own start (records of earlier packets may still be on their way).
 * 0: in the order they finish (the default). */
void ipft_packets_set_order(struct ipft_packets *t, uint64_t window_ns, uint64_t settle_ns);
void ipft_packets_free(struct ipft_packets *t);

/* Looks up a packet, creating it when create is set (first_ts: when its
 * first hit was, or an estimate).  Creating beyond the bound first gives
 * up on the oldest packet (written as partial).  touch: the packet was
 * active now (false for one about to be finished). */
struct ipft_packet *ipft_packets_get(struct ipft_packets *t, uint64_t packet_id,
				     uint64_t now_mono, uint64_t first_ts, bool create, bool touch);
/* The packet's first hit was at first_ts (learnt after it was created). */
void ipft_packets_set_first_ts(struct ipft_packets *t, struct ipft_packet *p, uint64_t first_ts);
/* Room for one more hit; NULL (and TRUNCATED set) past the per-packet cap. */
struct ipft_slot *ipft_packets_add_hit(struct ipft_packets *t, struct ipft_packet *p);
/* Takes a capture record (caplen bytes of data at most the snaplen);
 * false if it does not fit. */
bool ipft_packets_set_capture(struct ipft_packets *t, struct ipft_packet *p,
			      const struct ipft_capture *c);
/* Keeps a collector's record (size bytes) with the packet until it is
 * written; false past IPFT_PACKET_EXTRA_MAX bytes or without memory. */
#define IPFT_PACKET_EXTRA_MAX (64 << 10)
bool ipft_packets_add_extra(struct ipft_packet *p, const void *rec, size_t size);
/* Hands the packet to the done callback and forgets it. */
void ipft_packets_finish(struct ipft_packets *t, struct ipft_packet *p, uint32_t flags);
/* Finishes, as partial, packets not heard of since before older_than,
 * and writes the finished packets whose turn came by now_mono. */
void ipft_packets_expire(struct ipft_packets *t, uint64_t now_mono, uint64_t older_than);
/* Finishes every packet (at exit), as partial, and writes them all. */
void ipft_packets_flush_all(struct ipft_packets *t);
size_t ipft_packets_inflight(const struct ipft_packets *t);

struct ipft_clock;
/* The wall-clock time of kernel time mono_ns in packet p: with the
 * kernel's own offset when its capture read TAI (ipft_clock_offset_from_tai),
 * else with the one measured for that time.  Hits, the first hit and
 * snapshots are all converted by it. */
uint64_t ipft_packet_wall_ns(const struct ipft_packet *p, const struct ipft_clock *c,
			     uint64_t mono_ns);

/* Sorts events by time, stably: records of one packet from different
 * CPUs can reach the ring buffer slightly out of order. */
void ipft_packet_events_sort(struct ipft_event *e, size_t n);

#endif
