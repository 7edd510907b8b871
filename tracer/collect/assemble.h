/* assemble.h - ring-buffer records to packets to events.
 *
 * The kernel sends a packet's hits in batches (struct ipft_live, up to
 * IPFT_SLOTS at a time) and its header bytes once (struct ipft_capture).
 * The assembler gathers them per packet_id in the table of packets in
 * flight (packets.h); when a packet ends (its skb freed, its entry retired
 * or swept from the map, or ipft stops) it turns the packet's hits into
 * events (time order, names, drop reason, returns paired with their
 * entries) and hands the packet to the write callback.
 */
#ifndef IPFT_ASSEMBLE_H
#define IPFT_ASSEMBLE_H

#include "tracer/collect/packets.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipft_probe_set;
struct ipft_kallsyms;
struct ipft_drop_reasons;
struct ipft_clock;
struct ipft_ext;

struct ipft_assembler_cfg {
	const struct ipft_probe_set *probes;   /* names and return types, by probe id */
	const struct ipft_kallsyms *ksyms;     /* drop locations as sym+off; may be NULL */
	const struct ipft_drop_reasons *reasons; /* drop reason names; may be NULL */
	size_t max_inflight;                   /* packets gathered at once */
	size_t max_hits;                       /* hits kept per packet */
	size_t snaplen;                        /* header bytes a capture holds at most */
	const struct ipft_clock *clock;        /* kernel (monotonic) times to wall clock */
	/* Events carry the kernel's addresses (function, drop location);
	 * otherwise only the drop location's sym+off (KASLR stays secret). */
	bool raw_addresses;
	uint32_t collect;                      /* -x: IPFT_COLLECT_*, their key/values on events */
	const struct ipft_ext *ext;            /* -e, with IPFT_COLLECT_EXT in collect */
	uint64_t max_written;                  /* stop writing after this many; 0: never */
	/* Packets are written in the order they started (packets.h,
	 * ipft_packets_set_order); 0: in the order they end. */
	uint64_t order_window_ns, order_settle_ns;
	/* Called with each finished packet, its events made; returns 0, or
	 * -1 when writing failed (the assembler then writes nothing more). */
	int (*write)(const struct ipft_packet *p, void *arg);
	void *arg;
};

struct ipft_assembler;

struct ipft_assembler *ipft_assembler_new(const struct ipft_assembler_cfg *cfg);
void ipft_assembler_free(struct ipft_assembler *a);

/* The time records arrive at (CLOCK_MONOTONIC ns): packets are expired by
 * when ipft last heard of them. */
void ipft_assembler_set_now(struct ipft_assembler *a, uint64_t now_mono);
/* One ring-buffer record, as libbpf hands it over; records too short for
 * what they claim are ignored. */
void ipft_assembler_record(struct ipft_assembler *a, const void *data, size_t size);
/* A tracking-map entry taken out while its skb is alive: its trace ends
 * here, as partial. */
void ipft_assembler_swept(struct ipft_assembler *a, const struct ipft_live *entry);
/* Writes, as partial, packets not heard of since before older_than, and
 * the finished packets whose turn has come. */
void ipft_assembler_expire(struct ipft_assembler *a, uint64_t older_than);
/* Writes every packet still gathered, as partial (at exit). */
void ipft_assembler_flush_all(struct ipft_assembler *a);
/* Whether writing is over: max_written reached, or a write failed. */
bool ipft_assembler_count_reached(const struct ipft_assembler *a);
bool ipft_assembler_write_failed(const struct ipft_assembler *a);

struct ipft_assembly_counts {
	uint64_t written;      /* packets handed to the write callback */
	uint64_t partial;      /* ... of which partial traces */
	uint64_t swept_events; /* hits read from the tracking map, not the ring */
	uint64_t over_cap;     /* hits dropped past max_hits of their packet */
	uint64_t ring_bytes;   /* of the records read from the ring buffer */
};
struct ipft_assembly_counts ipft_assembler_counts(const struct ipft_assembler *a);

#endif
