/* snaps.h - a packet's header snapshots: its headers captured again by
 * the kernel where they changed (bpf/lineage.bpf.h), kept with the packet
 * in flight (struct ipft_packet.snaps, one allocation the table frees)
 * and written each as an EPB of its own (tracer/output/snapshot_out.c). */
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

struct ipft_snaps {
	size_t n;                 /* snapshots, in the kernel's order */
	size_t stride;            /* bytes from one to the next: a snap with -s bytes */
	_Alignas(8) unsigned char v[];
};

static inline struct ipft_snap *ipft_snap_at(const struct ipft_snaps *s, size_t i)
{
	return (struct ipft_snap *)(void *)((unsigned char *)s->v + i * s->stride);
}

#endif
