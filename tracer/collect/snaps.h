/* snaps.h - a packet's lineage and header snapshots, kept with the packet
 * in flight (struct ipft_packet.snaps, one allocation the table frees):
 * the packet it was derived from (a clone, a fragment, a segment), and
 * its headers captured again by the kernel where they changed
 * (bpf/lineage.bpf.h), each written as an EPB of its own
 * (tracer/output/snapshot_out.c). */
#ifndef IPFT_SNAPS_H
#define IPFT_SNAPS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "bpf/ipft_event.h"

struct ipft_snap {
	int32_t event;            /* the event it was taken at, in the packet's events; -1 */
	uint64_t wall_ts;         /* when, on the clock of the packet's events */
	struct ipft_capture cap;  /* as the kernel sent it, cap.caplen bytes of data: last */
};

/* The fragments a reassembled datagram lists; the packets GRO merged
 * into one that it lists (the others name it as their parent too). */
#define IPFT_FRAGMENTS_MAX 8
#define IPFT_MERGED_MAX 16

/* A packet's lineage and header snapshots, one allocation. */
struct ipft_snaps {
	uint64_t parent_id;       /* the packet it was derived from; 0: none */
	uint32_t kind;            /* how: enum ipft_lineage_kind; 0: none */
	uint32_t index;           /* a segment's number; a fragment's offset in bytes */
	bool parent_headers;      /* the parent's headers were captured when it was linked */
	uint32_t n_fragments;     /* a reassembled datagram's fragments (packet ids) */
	uint64_t fragments[IPFT_FRAGMENTS_MAX];
	uint32_t n_merged;        /* packets merged into this one (GRO), listed */
	uint64_t merged[IPFT_MERGED_MAX];
	size_t n;                 /* snapshots, in the kernel's order */
	size_t stride;            /* bytes from one to the next: a snap with -s bytes */
	_Alignas(8) unsigned char v[];
};

/* The name of a lineage kind ("clone", "fragment", "segment",
 * "reassembled", "copy", "merged"); NULL. */
static inline const char *ipft_lineage_name(uint32_t kind)
{
	static const char *const names[] = { NULL, "clone", "fragment", "segment", "reassembled",
					     "copy", "merged" };

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : NULL;
}

static inline struct ipft_snap *ipft_snap_at(const struct ipft_snaps *s, size_t i)
{
	return (struct ipft_snap *)(void *)((unsigned char *)s->v + i * s->stride);
}

#endif
