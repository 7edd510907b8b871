/* lineage.h - one packet across the changes of its headers, user side:
 * the kernel's header snapshots (bpf/lineage.bpf.h) gathered with their
 * packet, and placed on the events they were taken at when the packet is
 * written. */
#ifndef IPFT_LINEAGE_H
#define IPFT_LINEAGE_H

#include <stddef.h>

struct ipft_packet;
struct ipft_capture;
struct ipft_probe_set;
struct ipft_clock;

/* Keeps snapshot record c (its snapshot number > 0) with packet p; at
 * most snaplen bytes of it.  0, or -1 (no memory: the snapshot is lost). */
int ipft_snaps_add(struct ipft_packet *p, const struct ipft_capture *c, size_t snaplen);
/* The packet's events are made (in time order): each snapshot finds the
 * event it was taken at, which is flagged IPFT_EVF_SNAPSHOT. */
void ipft_snaps_place(struct ipft_packet *p, const struct ipft_probe_set *probes,
		      const struct ipft_clock *clock);

#endif
