/* lineage_text.h - a packet's lineage and header snapshots in the
 * outputs: the key/values its trace carries (pcapng), what aggregate and
 * JSON add. */
#ifndef IPFT_LINEAGE_TEXT_H
#define IPFT_LINEAGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "codec/ipft_format.h"
#include "tracer/collect/snaps.h"

struct ipft_packet;

/* The lineage key/values of a packet, for its first event: when derived,
 * parent_id (HEX64), lineage (STRING), segment or fragment_offset (U64);
 * a reassembled datagram's fragment_id (HEX64) for each fragment; a GRO
 * packet's merged_id (HEX64) for each packet merged into it; how many
 * (0: none).  kv has room for IPFT_LINEAGE_KV. */
#define IPFT_LINEAGE_KV (3 + IPFT_FRAGMENTS_MAX + IPFT_MERGED_MAX)
size_t ipft_lineage_kv(const struct ipft_packet *p, struct ipft_kv *kv);
/* p repeats its parent's headers (a clone, a copy, a segment of a packet
 * whose headers were captured): written as an exported PDU outside
 * Wireshark's analyses (snapshot_out.h), as the snapshots that repeat a
 * flow are.  A clone made before its parent had headers (TCP's transmit
 * clone of its queue's skb) is the one with them: a packet as any. */
bool ipft_lineage_hidden(const struct ipft_packet *p);
/* Encodes p's trace t as ipft_trace_encode_opts() does, the first event
 * with the lineage key/values before its own. */
int ipft_lineage_encode(const struct ipft_packet *p, const struct ipft_trace *t, size_t max_rec_len,
			unsigned opts, ipft_emit_fn emit, void *arg);

/* Aggregate: after the packet line, "  [fragment of 0x...: offset 1480]"
 * ("  [reassembled of 0x...: fragments 0x..., 0x...]");
 * after event i, if a header snapshot was taken there,
 * "  [snapshot 1: UDP 10.0.2.1:4000 > 10.0.2.2:9 on veth1]".
 * JSON, on each event line: the lineage ("parent_id", "lineage",
 * "segment" or "fragment_offset", "fragment_ids"), and on event i a snapshot's
 * "snapshot", "snapshot_headers", "snapshot_dev". */
void ipft_lineage_aggregate_packet(FILE *f, const struct ipft_packet *p);
void ipft_lineage_aggregate(FILE *f, const struct ipft_packet *p, size_t i);
void ipft_lineage_json(FILE *f, const struct ipft_packet *p, size_t i);

#endif
