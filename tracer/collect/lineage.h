/* lineage.h - one packet across the changes of its skb and its headers,
 * user side.
 *
 * The kernel says which new packets are clones of traced ones (a record
 * IPFT_REC_LINEAGE) and sends a packet's headers again where they
 * changed (bpf/lineage.bpf.h).  What the tracepoints cannot see is
 * derived here from the captured headers, when a packet is written: an
 * IP fragment's datagram (the packet of the same source, destination,
 * protocol and id at offset 0), a GSO segment's super-packet (the packet
 * of the same TCP flow whose sequence range holds the segment's, ended
 * just before it started).  The outputs write the lineage
 * (tracer/output/lineage_text.h): in the file as key/values of the
 * packet's first event (docs/format.md), parent_id, lineage, segment or
 * fragment_offset.
 */
#ifndef IPFT_LINEAGE_H
#define IPFT_LINEAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipft_packet;
struct ipft_capture;
struct ipft_lineage_rec;
struct ipft_probe_set;
struct ipft_clock;
struct ipft_lineage;

/* The recent datagrams and TCP packets derived packets are matched with;
 * NULL when out of memory. */
struct ipft_lineage *ipft_lineage_new(void);
void ipft_lineage_free(struct ipft_lineage *l);

/* Keeps snapshot record c (its snapshot number > 0) with packet p; at
 * most snaplen bytes of it.  0, or -1 (no memory: the snapshot is lost). */
int ipft_snaps_add(struct ipft_packet *p, const struct ipft_capture *c, size_t snaplen);
/* The kernel's word that p was derived from another packet;
 * parent_captured: that packet's headers had come (p repeats them unless
 * it was made before they were set, as TCP's transmit clones are). */
void ipft_lineage_record(struct ipft_packet *p, const struct ipft_lineage_rec *r,
			 bool parent_captured);
/* GRO merged packet merged_id into packet into, which lists it (up to
 * IPFT_MERGED_MAX). */
void ipft_lineage_merged_into(struct ipft_packet *into, uint64_t merged_id);
/* The packet's events are made (in time order): each snapshot finds the
 * event it was taken at (flagged IPFT_EVF_SNAPSHOT), a fragment or a
 * segment its parent. */
void ipft_lineage_place(struct ipft_lineage *l, struct ipft_packet *p,
			const struct ipft_probe_set *probes, const struct ipft_clock *clock);

#endif
