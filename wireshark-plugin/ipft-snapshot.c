/* ipft-snapshot.c - a packet's header snapshots, its lineage, its frames.
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
 * A packet derived from another (a clone, a fragment, a segment) says so
 * in its first event's key/values (parent_id, lineage, segment,
 * fragment_offset): shown as fields of the trace.
 *
 * The frames of one packet (its first EPB, its snapshots), and of a
 * packet and the packets derived from it, are linked both ways: each
 * knows the others once Wireshark has read them (a GUI, or tshark -2;
 * tshark's single pass knows only the earlier ones).
 */
#include "wireshark-plugin/ws_compat.h"
#include "wireshark-plugin/packet-ipft.h"
#include "codec/ipft_format.h"

#include <epan/exceptions.h>
#include <epan/packet.h>

#define MAX_FRAMES 8 /* the first EPB and the snapshots the tracer writes at most */
#define MAX_CHILDREN 64

static int proto_snap = -1;
static int hf_snapshot = -1, hf_snapshot_event = -1, hf_snapshots = -1, hf_frame = -1,
	   hf_ev_snapshot = -1, hf_parent_id = -1, hf_lineage = -1, hf_segment = -1,
	   hf_fragment_offset = -1, hf_fragment_id = -1, hf_merged_id = -1, hf_parent_frame = -1,
	   hf_child_frame = -1;
static dissector_handle_t eth_handle, ip_handle;

/* The frames of one packet, by packet id: [0] its first EPB (0: not
 * seen), then its snapshots by number; the first EPBs of the packets
 * derived from it. */
typedef struct {
	guint32 frame[MAX_FRAMES];
	guint32 child[MAX_CHILDREN];
	guint n_children;
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
		{ &hf_parent_id, { "Parent packet ID", "ipft.parent_id", FT_UINT64, BASE_HEX, NULL, 0,
				   "The packet this one was derived from", HFILL } },
		{ &hf_lineage, { "Derived as", "ipft.lineage", FT_STRING, BASE_NONE, NULL, 0,
				 "How: clone, copy, fragment, segment, reassembled, merged (into the parent, by GRO)", HFILL } },
		{ &hf_segment, { "Segment", "ipft.segment", FT_UINT32, BASE_DEC, NULL, 0,
				 "Which segment of its parent (GSO), from 0", HFILL } },
		{ &hf_fragment_offset, { "Fragment offset", "ipft.fragment_offset", FT_UINT32,
					 BASE_DEC, NULL, 0, "Where in its parent datagram, in bytes",
					 HFILL } },
		{ &hf_fragment_id, { "Fragment packet ID", "ipft.fragment_id", FT_UINT64, BASE_HEX,
				     NULL, 0, "A fragment this reassembled datagram was made of",
				     HFILL } },
		{ &hf_merged_id, { "Merged packet ID", "ipft.merged_id", FT_UINT64, BASE_HEX, NULL,
				   0, "A packet GRO merged into this one", HFILL } },
		{ &hf_parent_frame, { "Parent packet", "ipft.parent_frame", FT_FRAMENUM, BASE_NONE,
				      NULL, 0, "The first EPB of the packet this one was derived from",
				      HFILL } },
		{ &hf_child_frame, { "Derived packet", "ipft.child_frame", FT_FRAMENUM, BASE_NONE,
				     NULL, 0, "The first EPB of a packet derived from this one",
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


static packet_frames_t *frames_of(guint64 id)
{
	packet_frames_t *pf = (packet_frames_t *)wmem_map_lookup(frames_by_id, &id);

	if (!pf) {
		guint64 *key = wmem_new(wmem_file_scope(), guint64);
		*key = id;
		pf = wmem_new0(wmem_file_scope(), packet_frames_t);
		wmem_map_insert(frames_by_id, key, pf);
	}
	return pf;
}

/* Frame `pinfo->num` is EPB number `which` of packet id (0 its first,
 * then its snapshots); the packet's frames known so far. */
static const packet_frames_t *packet_frames(packet_info *pinfo, guint64 id, guint which)
{
	packet_frames_t *pf = frames_of(id);

	if (which < MAX_FRAMES && !pf->frame[which])
		pf->frame[which] = pinfo->num;
	return pf;
}

/* The first EPB of a packet derived from parent. */
static void note_child(packet_info *pinfo, guint64 parent)
{
	packet_frames_t *pf = frames_of(parent);

	for (guint i = 0; i < pf->n_children; i++)
		if (pf->child[i] == pinfo->num)
			return;
	if (pf->n_children < MAX_CHILDREN)
		pf->child[pf->n_children++] = pinfo->num;
}

static const struct ipft_kv *kv_of(const struct ipft_event *e, const char *key, guint8 type)
{
	for (size_t i = 0; i < e->n_kv; i++)
		if (e->kv[i].type == type && strcmp(e->kv[i].key, key) == 0)
			return &e->kv[i];
	return NULL;
}

static guint64 kv_u64(const struct ipft_event *e, const char *key, guint64 dflt)
{
	const struct ipft_kv *kv = kv_of(e, key, IPFT_VT_U64);

	return kv ? kv->u64 : dflt;
}

static void add_generated_uint(proto_tree *st, int hf, tvbuff_t *tvb, guint32 v)
{
	proto_item_set_generated(proto_tree_add_uint(st, hf, tvb, 0, 0, v));
}

/* A reassembled datagram's fragments (fragment_id, each): their ids, and
 * on each fragment's EPB a link to the datagram. */
static void add_fragments(tvbuff_t *tvb, packet_info *pinfo, proto_tree *st,
			  const struct ipft_event *first)
{
	for (size_t i = 0; i < first->n_kv; i++) {
		const struct ipft_kv *kv = &first->kv[i];

		if (kv->type != IPFT_VT_HEX64 || strcmp(kv->key, "fragment_id") != 0)
			continue;
		proto_item_set_generated(proto_tree_add_uint64(st, hf_fragment_id, tvb, 0, 0, kv->u64));
		note_child(pinfo, kv->u64);
	}
}

/* A GRO packet's list of the packets merged into it (merged_id, each);
 * they link to it as their parent. */
static void add_merged(tvbuff_t *tvb, proto_tree *st, const struct ipft_event *first)
{
	for (size_t i = 0; first && i < first->n_kv; i++) {
		const struct ipft_kv *kv = &first->kv[i];

		if (kv->type == IPFT_VT_HEX64 && strcmp(kv->key, "merged_id") == 0)
			proto_item_set_generated(
				proto_tree_add_uint64(st, hf_merged_id, tvb, 0, 0, kv->u64));
	}
}

/* A packet derived from another: its parent, how, the link to it; and
 * the links to the packets derived from this one. */
static void add_lineage(tvbuff_t *tvb, packet_info *pinfo, proto_tree *st,
			const struct ipft_trace *t, const packet_frames_t *own)
{
	const struct ipft_event *first = t->n_events ? &t->events[0] : NULL;
	const struct ipft_kv *parent = first ? kv_of(first, "parent_id", IPFT_VT_HEX64) : NULL;
	const struct ipft_kv *kind = first ? kv_of(first, "lineage", IPFT_VT_STRING) : NULL;
	const struct ipft_kv *seg = first ? kv_of(first, "segment", IPFT_VT_U64) : NULL;
	const struct ipft_kv *off = first ? kv_of(first, "fragment_offset", IPFT_VT_U64) : NULL;

	if (parent && !(t->flags & IPFT_TRACE_SNAPSHOT)) {
		const packet_frames_t *pf = frames_of(parent->u64);
		proto_item_set_generated(proto_tree_add_uint64(st, hf_parent_id, tvb, 0, 0,
							       parent->u64));
		if (kind)
			proto_item_set_generated(proto_tree_add_string(
				st, hf_lineage, tvb, 0, 0,
				wmem_strndup(pinfo->pool, (const char *)kind->ptr, kind->len)));
		if (seg)
			add_generated_uint(st, hf_segment, tvb, (guint32)seg->u64);
		if (off)
			add_generated_uint(st, hf_fragment_offset, tvb, (guint32)off->u64);
		note_child(pinfo, parent->u64);
		if (pf->frame[0])
			add_generated_uint(st, hf_parent_frame, tvb, pf->frame[0]);
		add_fragments(tvb, pinfo, st, first);
	}
	if (!(t->flags & IPFT_TRACE_SNAPSHOT))
		add_merged(tvb, st, first);
	for (guint i = 0; !(t->flags & IPFT_TRACE_SNAPSHOT) && i < own->n_children; i++)
		add_generated_uint(st, hf_child_frame, tvb, own->child[i]);
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
	const packet_frames_t *own = packet_frames(pinfo, t->packet_id, which);
	const guint32 *frames = own->frame;

	add_lineage(tvb, pinfo, st, t, own);
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
