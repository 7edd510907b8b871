/* packets.h - packets in flight: their events, gathered from the ring
 * buffer until the skb is freed (or the packet is given up on). */
#ifndef IPFT_PACKETS_H
#define IPFT_PACKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "bpf/ipft_event.h"
#include "pcapng/ipft_format.h"

#define IPFT_DROP_SYM_LEN 96

struct ipft_packet_event {
	struct ipft_event ev;        /* name and reason point into long-lived tables */
	char drop_sym[IPFT_DROP_SYM_LEN];
	uint32_t probe_id;
};

struct ipft_packet {
	uint64_t packet_id;
	uint32_t flags;              /* IPFT_TRACE_* */
	uint64_t last_mono_ns;       /* when user space last heard of it */
	struct ipft_packet_event *events;
	size_t n_events, cap_events;
	bool captured;
	int64_t capture_probe;       /* probe of the hit that captured, -1 if none */
	struct ipft_capture cap;     /* valid when captured (data up to cap.caplen) */
	struct ipft_packet *next;    /* hash chain */
	struct ipft_packet *older, *newer; /* activity order, for expiry */
};

typedef void (*ipft_packet_done_fn)(struct ipft_packet *p, void *arg);

struct ipft_packets;

struct ipft_packets *ipft_packets_new(size_t max_inflight, size_t max_events,
				      ipft_packet_done_fn done, void *arg);
void ipft_packets_free(struct ipft_packets *t);

/* Looks up a packet, creating it when create is set.  Creating beyond the
 * bound first gives up on the oldest packet (written as partial). */
struct ipft_packet *ipft_packets_get(struct ipft_packets *t, uint64_t packet_id,
				     uint64_t now_mono, bool create);
/* Appends an event (copied); sets TRUNCATED past the per-packet cap. */
struct ipft_packet_event *ipft_packets_add_event(struct ipft_packets *t, struct ipft_packet *p);
/* Hands the packet to the done callback and forgets it. */
void ipft_packets_finish(struct ipft_packets *t, struct ipft_packet *p, uint32_t flags);
/* Finishes, as partial, packets not heard of since before older_than. */
void ipft_packets_expire(struct ipft_packets *t, uint64_t older_than);
/* Finishes every packet (at exit), as partial. */
void ipft_packets_flush_all(struct ipft_packets *t);
size_t ipft_packets_inflight(const struct ipft_packets *t);

#endif
