/* ipft-snapshot.h - header snapshots and the frames of one packet
 * (ipft-snapshot.c). */
#ifndef IPFT_SNAPSHOT_H
#define IPFT_SNAPSHOT_H

#include <glib.h>
#include <epan/packet.h>

struct ipft_trace;

/* With the protocol's registration and handoff. */
void ipft_snapshot_register(int proto);
void ipft_snapshot_handoff(void);
/* The packet's frames and, on a snapshot, which step its headers are
 * from, under the ipft tree st of trace t (decoded, NULL if malformed);
 * TRUE when the frame is a snapshot (it is then no packet of the
 * statistics). */
gboolean ipft_snapshot_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *st,
			    const struct ipft_trace *t);
/* An event flagged IPFT_EVF_SNAPSHOT: the item, on its flags' bytes. */
void ipft_snapshot_event_flag(proto_tree *et, tvbuff_t *ptvb, gint off, gint len);

#endif
