/* ipft-snapshot.c - a packet's header snapshots and its frames.
 *
 * ipft writes a packet's headers again where they changed on its way (an
 * address translation, a tunnel, forwarding), each snapshot an EPB of its
 * own with the packet's id (docs/format.md).  Its bytes are an exported
 * PDU naming one of the dissectors here, which decode the headers as an
 * ICMP error decodes the packet it quotes (pinfo->flags.in_error_pkt):
 * the headers are shown and filtered on, but they open no TCP
 * conversation state and take no part in TCP's sequence analysis, where a
 * second copy of a segment would be a retransmission.
 *
 * The frames of one packet (its first EPB, its snapshots) are linked both
 * ways: each knows the others once Wireshark has read them (a GUI, or
 * tshark -2; tshark's single pass knows only the earlier ones).
 */
#include "wireshark-plugin/ws_compat.h"
#include "wireshark-plugin/packet-ipft.h"
#include "codec/ipft_format.h"

#include <epan/exceptions.h>
#include <epan/packet.h>

#define MAX_FRAMES 8 /* the first EPB and the snapshots the tracer writes at most */

static int proto_snap = -1;
static int hf_snapshot = -1, hf_snapshot_event = -1, hf_snapshots = -1, hf_frame = -1,
	   hf_ev_snapshot = -1;
static dissector_handle_t eth_handle, ip_handle;

/* The frames of one packet, by packet id: [0] its first EPB (0: not
 * seen), then its snapshots by number. */
typedef struct {
	guint32 frame[MAX_FRAMES];
} packet_frames_t;

static wmem_map_t *frames_by_id; /* guint64* -> packet_frames_t* (file scope) */

static int dissect_headers(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
			   dissector_handle_t next)
{
	volatile gboolean in_error = pinfo->flags.in_error_pkt;

	col_set_str(pinfo->cinfo, COL_PROTOCOL, "ipft");
	if (!next)
		return 0;
	pinfo->flags.in_error_pkt = TRUE;
	TRY {
		call_dissector(next, tvb, pinfo, tree);
	}
	FINALLY {
		pinfo->flags.in_error_pkt = in_error;
	}
	ENDTRY;
	return tvb_captured_length(tvb);
}

static int dissect_snap_eth(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
	return dissect_headers(tvb, pinfo, tree, eth_handle);
}

static int dissect_snap_ip(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
	return dissect_headers(tvb, pinfo, tree, ip_handle);
}

void ipft_snapshot_register(int proto)
{
	static hf_register_info hf[] = {
		{ &hf_snapshot, { "Header snapshot", "ipft.snapshot", FT_UINT32, BASE_DEC, NULL, 0,
				  "Which headers of the packet this EPB holds: 0 as first captured, "
				  "then each later change in order", HFILL } },
		{ &hf_snapshot_event, { "Headers from", "ipft.snapshot.event", FT_STRING, BASE_NONE,
					NULL, 0, "The step of the path the headers were taken at",
					HFILL } },
		{ &hf_snapshots, { "Header snapshots", "ipft.snapshots", FT_UINT32, BASE_DEC, NULL, 0,
				   "Later EPBs of the packet with its headers as changed", HFILL } },
		{ &hf_frame, { "Frame of this packet", "ipft.frame", FT_FRAMENUM, BASE_NONE, NULL, 0,
			       "Another EPB of the same packet: its trace, or a header snapshot",
			       HFILL } },
		{ &hf_ev_snapshot, { "Headers changed before here", "ipft.event.snapshot", FT_BOOLEAN,
				     BASE_NONE, NULL, 0, "A header snapshot was taken at this event",
				     HFILL } },
	};

	proto_snap = proto;
	proto_register_field_array(proto, hf, array_length(hf));
	register_dissector(IPFT_SNAP_PDU_ETH, dissect_snap_eth, proto);
	register_dissector(IPFT_SNAP_PDU_IP, dissect_snap_ip, proto);
	frames_by_id = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_int64_hash,
					      g_int64_equal);
}

void ipft_snapshot_handoff(void)
{
	eth_handle = find_dissector("eth_withoutfcs");
	ip_handle = find_dissector("ip");
}


/* Frame `pinfo->num` is EPB number `which` of packet id (0 its first,
 * then its snapshots); the packet's frames known so far. */
static const guint32 *packet_frames(packet_info *pinfo, guint64 id, guint which)
{
	packet_frames_t *pf = (packet_frames_t *)wmem_map_lookup(frames_by_id, &id);

	if (!pf) {
		guint64 *key = wmem_new(wmem_file_scope(), guint64);
		*key = id;
		pf = wmem_new0(wmem_file_scope(), packet_frames_t);
		wmem_map_insert(frames_by_id, key, pf);
	}
	if (which < MAX_FRAMES && !pf->frame[which])
		pf->frame[which] = pinfo->num;
	return pf->frame;
}

static guint64 kv_u64(const struct ipft_event *e, const char *key, guint64 dflt)
{
	for (size_t i = 0; i < e->n_kv; i++)
		if (e->kv[i].type == IPFT_VT_U64 && strcmp(e->kv[i].key, key) == 0)
			return e->kv[i].u64;
	return dflt;
}

/* The other EPBs of the packet, as links. */
static void add_frames(tvbuff_t *tvb, packet_info *pinfo, proto_tree *st, const guint32 *frames)
{
	for (guint i = 0; i < MAX_FRAMES; i++) {
		if (!frames[i] || frames[i] == pinfo->num)
			continue;
		proto_item *pi = proto_tree_add_uint_format_value(
			st, hf_frame, tvb, 0, 0, frames[i],
			i ? "%u (header snapshot %u)" : "%u (the packet's first EPB, its trace)",
			frames[i], i);
		proto_item_set_generated(pi);
	}
}

gboolean ipft_snapshot_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *st,
			    const struct ipft_trace *t)
{
	gboolean snap = (t->flags & IPFT_TRACE_SNAPSHOT) && t->n_events;
	const struct ipft_event *at = snap ? &t->events[0] : NULL;
	guint which = snap ? (guint)kv_u64(at, "snapshot", 1) : 0, n = 0;
	proto_item *pi;

	for (size_t i = 0; !snap && i < t->n_events; i++) {
		if (t->events[i].flags & IPFT_EVF_CAPTURE && !at)
			at = &t->events[i];
		n += !!(t->events[i].flags & IPFT_EVF_SNAPSHOT);
	}
	const guint32 *frames = packet_frames(pinfo, t->packet_id, which);
	if (!snap && !n)
		return FALSE; /* a packet whose headers never changed: as before */
	pi = proto_tree_add_uint(st, hf_snapshot, tvb, 0, 0, which);
	proto_item_set_generated(pi);
	if (at) {
		pi = proto_tree_add_string(st, hf_snapshot_event, tvb, 0, 0, at->name);
		proto_item_set_generated(pi);
	}
	if (n) {
		pi = proto_tree_add_uint(st, hf_snapshots, tvb, 0, 0, n);
		proto_item_set_generated(pi);
	}
	add_frames(tvb, pinfo, st, frames);
	if (snap)
		col_append_fstr(pinfo->cinfo, COL_INFO, " [ipft: header snapshot %u at %s%s%u]", which,
				at->name, frames[0] ? ", packet in frame " : "", frames[0]);
	return snap;
}

void ipft_snapshot_event_flag(proto_tree *et, tvbuff_t *ptvb, gint off, gint len)
{
	proto_tree_add_boolean(et, hf_ev_snapshot, ptvb, off, len, TRUE);
}
