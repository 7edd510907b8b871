/* snapshot_out.h - a packet's header snapshots as EPBs of their own.
 *
 * Where the kernel saw a packet's headers change (an address
 * translation, a tunnel, forwarding: bpf/lineage.bpf.h) it captured them
 * again.  Each snapshot is written as an EPB of its own with the packet's
 * epb_packetid, on the interface it was taken on, stamped at the event it
 * was taken at, with a TRACE record of that one event flagged
 * IPFT_TRACE_SNAPSHOT (docs/format.md).  Packets are written in the order
 * they started, so a snapshot, later than its packet's start, waits in
 * this queue until the packets that started before it are written: the
 * file's EPBs stay in time order.
 */
#ifndef IPFT_SNAPSHOT_OUT_H
#define IPFT_SNAPSHOT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipft_packet;
struct ipft_capture;

/* One snapshot EPB, ready to write. */
struct ipft_snap_epb {
	uint64_t ts;                    /* the event it was taken at (wall clock, ns) */
	uint64_t packet_id;
	const struct ipft_capture *cap; /* its headers, where they were taken */
	const char *event;              /* the attach point it was taken at; may be NULL */
	const uint8_t *rec;             /* its TRACE record */
	size_t rec_len;
	const char *comment;
	/* Its flow (addresses, protocol, ports) is none an earlier EPB of the
	 * packet showed: a translation's, written as a packet like any other.
	 * Else (forwarding, a tunnel: the same segment again) an exported PDU
	 * that Wireshark's TCP analysis leaves out (ipft_snap_pdu). */
	bool visible;
};

/* The exported PDU of headers c that Wireshark's analyses are to leave
 * out (a snapshot not visible, a clone, a segment), the first len bytes
 * in buf (room for IPFT_SNAP_PDU_TAGS_MAX more): tags naming the ipft
 * plugin's dissector, the addresses and ports (columns without the
 * plugin), then the bytes.  Its length. */
#define IPFT_SNAP_PDU_TAGS_MAX 96
size_t ipft_snap_pdu(const struct ipft_capture *c, uint32_t len, uint8_t *buf);

struct ipft_snapq;

struct ipft_snapq *ipft_snapq_new(void);
void ipft_snapq_free(struct ipft_snapq *q);
/* Queues the snapshots of p, whose events are made and placed
 * (tracer/collect/lineage.h); 0, or -1 when out of memory. */
int ipft_snapq_add(struct ipft_snapq *q, const struct ipft_packet *p);
/* Writes, in time order, the queued snapshots stamped at or before until
 * (UINT64_MAX: all) through write; 0, or the first failed write's -1. */
typedef int (*ipft_snap_write_fn)(const struct ipft_snap_epb *s, void *arg);
int ipft_snapq_flush(struct ipft_snapq *q, uint64_t until, ipft_snap_write_fn write, void *arg);

#endif
