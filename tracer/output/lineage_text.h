/* lineage_text.h - what the text outputs (aggregate, JSON) add about a
 * packet's header snapshots. */
#ifndef IPFT_LINEAGE_TEXT_H
#define IPFT_LINEAGE_TEXT_H

#include <stddef.h>
#include <stdio.h>

struct ipft_packet;

/* After event i of p, if a header snapshot was taken there:
 * aggregate "  [snapshot 1: UDP 10.0.2.1:4000 > 10.0.2.2:9 on veth1]";
 * JSON ,"snapshot":1,"snapshot_headers":"UDP ...","snapshot_dev":"veth1". */
void ipft_lineage_aggregate(FILE *f, const struct ipft_packet *p, size_t i);
void ipft_lineage_json(FILE *f, const struct ipft_packet *p, size_t i);

#endif
