/* packet-ipft.c - dissector for ipft's kernel traces in pcapng.
 *
 * A packet's trace reaches Wireshark in one of two carriers
 * (docs/format.md):
 *  - custom options 2989 with our PEN on the packet's own EPB: wiretap keeps
 *    them in pinfo->rec->block, which a postdissector reads;
 *  - Custom Blocks (--trace-blocks) before the EPB: each is a record of its
 *    own (REC_TYPE_CUSTOM_BLOCK) that 4.0 shows only to postdissectors and
 *    4.4+ also hands to the "pcapng_custom_block" table.  Their traces are
 *    kept by packet_id and attached to the EPB whose epb_packetid matches.
 * The bytes are read by the trace codec (codec/, linked in): its full
 * decoder judges what is valid and feeds the summary, whose path is built
 * by the function that writes the tracer's packet comment; its views and
 * named field offsets place every tree item on the bytes it came from.  A
 * record is ipft's only when it starts with the magic (the PEN is shared)
 * and records of other types are skipped, as docs/format.md says.  Fields on
 * packets are ipft.*; fields on Custom Block records are ipft.block.*, so
 * a filter on ipft.* selects packets only.
 */
#include "wireshark-plugin/ws_compat.h"
#include "wireshark-plugin/packet-ipft.h"
#include "wireshark-plugin/ipft-snapshot.h"
#include "codec/ipft_format.h"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <inttypes.h>

#define MAX_PARTS 256

static int proto_ipft = -1;
static int ipft_tap = -1;
static gboolean cb_table_used;

static int hf_packet_id = -1, hf_flags = -1, hf_flag_complete = -1, hf_flag_partial = -1,
	   hf_flag_lost = -1, hf_flag_truncated = -1, hf_events = -1, hf_duration = -1,
	   hf_path = -1, hf_drop_reason = -1, hf_ev_drop_reason = -1, hf_ev_drop_location = -1, hf_drop_reason_code = -1, hf_drop_location = -1,
	   hf_part = -1, hf_event = -1, hf_func = -1, hf_kind = -1, hf_time = -1, hf_delta = -1,
	   hf_cpu = -1, hf_depth = -1, hf_retval = -1, hf_call_duration = -1, hf_func_addr = -1,
	   hf_data_key = -1, hf_data_value = -1, hf_first = -1, hf_free = -1, hf_capture = -1;
static int hf_block_record = -1, hf_block_packet_id = -1, hf_block_path = -1,
	   hf_block_events = -1, hf_block_key = -1, hf_block_value = -1;
static int ett_ipft = -1, ett_event = -1, ett_flags = -1, ett_block = -1;
static expert_field ei_drop = EI_INIT, ei_malformed = EI_INIT, ei_partial = EI_INIT,
		    ei_lost = EI_INIT;

static const value_string kind_vals[] = {
	{ IPFT_KIND_FUNC_ENTRY, "function entry" },
	{ IPFT_KIND_FUNC_RETURN, "function return" },
	{ IPFT_KIND_TRACEPOINT, "tracepoint" },
	{ 0, NULL },
};

/* A packet's trace parts, in order. */
typedef struct {
	guint8 *data[MAX_PARTS];
	guint len[MAX_PARTS];
	int n;
} trace_parts_t;

/* Traces from Custom Blocks, by packet_id, until their packet comes. */
static wmem_map_t *block_traces; /* guint64* -> trace_parts_t* (file scope) */

/* Offset and length of a field of a record header, or of the header of the
 * event ev, as a tree item's two arguments (codec/ipft_format.h layout). */
#define REC_FIELD(part, field) (gint)IPFT_OFF(part, field), (gint)IPFT_SIZE(part, field)
#define EVENT_FIELD(ev, field) (gint)((ev)->off + IPFT_OFF(event, field)), \
			       (gint)IPFT_SIZE(event, field)

/* ---- one trace ------------------------------------------------------- */

/* What the whole trace (all parts) says, for the summary lines. */
typedef struct {
	guint32 events;
	guint64 first_ts, last_ts;
	const char *drop_reason, *drop_location;
	gboolean has_drop;
	guint32 drop_code;
	const char *path;
	ipft_tap_info_t *tap;
} summary_t;

static char *rec_string(packet_info *pinfo, const struct ipft_rec *r, size_t off, size_t len)
{
	return (char *)wmem_strndup(pinfo->pool, (const char *)r->buf + off, len);
}

/* The codec's full decoder over every part, in order: the same verdict on
 * what is valid as every other reader of the format.  NULL and err when
 * malformed. */
static struct ipft_trace *decode_parts(const trace_parts_t *tp, char *err, size_t errlen)
{
	struct ipft_trace *t = NULL;

	if (tp->n == 0) {
		g_strlcpy(err, "no trace record", errlen);
		return NULL;
	}
	if (ipft_trace_decode(tp->data[0], tp->len[0], &t, err, errlen) < 0)
		return NULL;
	for (int i = 1; i < tp->n; i++) {
		if (ipft_trace_decode_append(t, tp->data[i], tp->len[i], err, errlen) < 0) {
			ipft_trace_free(t);
			return NULL;
		}
	}
	return t;
}

/* The drop of one event, if it has one, into the summary. */
static void summarize_drop(packet_info *pinfo, const struct ipft_event *e, summary_t *s)
{
	if (e->drop_reason_name)
		s->drop_reason = wmem_strdup(pinfo->pool, e->drop_reason_name);
	if (e->has & IPFT_HAS_DROP_REASON) {
		s->has_drop = TRUE;
		s->drop_code = e->drop_reason;
	}
	if (e->drop_location_sym)
		s->drop_location = wmem_strdup(pinfo->pool, e->drop_location_sym);
	else if ((e->has & IPFT_HAS_DROP_LOCATION) && !s->drop_location)
		s->drop_location = wmem_strdup_printf(pinfo->pool, "0x%" PRIx64, e->drop_location);
}

/* The devices an event says the packet is on now (-x meta's "dev"). */
static void summarize_devs(packet_info *pinfo, const struct ipft_event *e, ipft_tap_info_t *tap)
{
	for (size_t i = 0; i < e->n_kv && tap->n_devs < IPFT_TAP_MAX_DEVS; i++)
		if (e->kv[i].type == IPFT_VT_STRING && strcmp(e->kv[i].key, "dev") == 0 &&
		    e->kv[i].len)
			tap->devs[tap->n_devs++] =
				wmem_strndup(pinfo->pool, (const char *)e->kv[i].ptr, e->kv[i].len);
}

/* The summary of a decoded trace; its path is the tracer's packet comment,
 * built by the same function (ipft_trace_path). */
static void summarize(packet_info *pinfo, const struct ipft_trace *t, summary_t *s)
{
	char *path = ipft_trace_path(t, 0);

	s->path = wmem_strdup(pinfo->pool, path ? path : "");
	free(path);
	s->events = (guint32)t->n_events;
	if (t->n_events) {
		s->first_ts = t->events[0].ts_ns;
		s->last_ts = t->events[t->n_events - 1].ts_ns;
	}
	for (size_t i = 0; i < t->n_events; i++) {
		const struct ipft_event *e = &t->events[i];

		summarize_drop(pinfo, e, s);
		summarize_devs(pinfo, e, s->tap);
		if (e->kind != IPFT_KIND_FUNC_RETURN && s->tap->n_funcs < IPFT_TAP_MAX_FUNCS)
			s->tap->funcs[s->tap->n_funcs++] = wmem_strdup(pinfo->pool, e->name);
	}
}

static char *kv_value_string(packet_info *pinfo, const struct ipft_rec *r,
			     const struct ipft_attr_view *a)
{
	guint64 v;

	switch (a->vtype) {
	case IPFT_VT_U64:
	case IPFT_VT_S64:
	case IPFT_VT_HEX64:
		if (ipft_kv_int(r, a, &v)) {
			if (a->vtype == IPFT_VT_U64)
				return wmem_strdup_printf(pinfo->pool, "%" PRIu64, v);
			if (a->vtype == IPFT_VT_S64)
				return wmem_strdup_printf(pinfo->pool, "%" PRId64, (gint64)v);
			return wmem_strdup_printf(pinfo->pool, "0x%" PRIx64, v);
		}
		break;
	case IPFT_VT_STRING:
		return rec_string(pinfo, r, a->kval_off, a->kval_len);
	}
	/* Bytes as hex (our own loop: the to_str helpers moved between versions). */
	wmem_strbuf_t *hex = wmem_strbuf_new(pinfo->pool, "");
	for (size_t i = 0; i < a->kval_len; i++)
		wmem_strbuf_append_printf(hex, "%02x", a->kval[i]);
	return (char *)wmem_strbuf_get_str(hex);
}

/* The items of one key/value (a KV attribute's, or a packed one's: its key
 * is not in the record, the item is on its value). */
static void add_kv(proto_tree *et, tvbuff_t *ptvb, packet_info *pinfo, const struct ipft_rec *r,
		   const struct ipft_attr_view *a, GString *extra)
{
	char *k = wmem_strndup(pinfo->pool, a->key, a->key_len);
	char *v = kv_value_string(pinfo, r, a);

	/* An extension's key is its own, whatever its name. */
	if ((a->kflags & IPFT_KV_EXT) || !ipft_fields_add(et, ptvb, pinfo, r, a)) {
		proto_tree_add_string(et, hf_data_key, ptvb, (gint)a->key_off,
				      a->packed ? 0 : a->key_len, k);
		proto_tree_add_string(et, hf_data_value, ptvb, (gint)a->kval_off,
				      (gint)a->kval_len, v);
	}
	g_string_append_printf(extra, " %s=%s", k, v);
}

/* The items of one attribute of an event; what it adds to the event's
 * line goes to extra.  FALSE, with err, when a packed one is malformed. */
static gboolean add_attr(proto_tree *et, tvbuff_t *ptvb, packet_info *pinfo,
			 const struct ipft_rec *r, const struct ipft_attr_view *a, GString *extra,
			 char *err, size_t errlen)
{
	gint off = (gint)a->val_off;

	switch (a->type) {
	case IPFT_ATTR_DROP_REASON_NAME: {
		char *s = rec_string(pinfo, r, a->val_off, a->len);
		proto_tree_add_string(et, hf_ev_drop_reason, ptvb, off, a->len, s);
		g_string_append_printf(extra, " reason=%s", s);
		break;
	}
	case IPFT_ATTR_DROP_REASON:
		if (a->len >= 4)
			proto_tree_add_uint(et, hf_drop_reason_code, ptvb, off, 4,
					    ipft_rec_u32(r, a->val_off));
		break;
	case IPFT_ATTR_DROP_LOCATION_SYM: {
		char *s = rec_string(pinfo, r, a->val_off, a->len);
		proto_tree_add_string(et, hf_ev_drop_location, ptvb, off, a->len, s);
		g_string_append_printf(extra, " at %s", s);
		break;
	}
	case IPFT_ATTR_RETVAL:
		if (a->len >= 8) {
			gint64 v = (gint64)ipft_rec_u64(r, a->val_off);
			proto_tree_add_int64(et, hf_retval, ptvb, off, 8, v);
			g_string_append_printf(extra, " ret=%" PRId64, v);
		}
		break;
	case IPFT_ATTR_DURATION:
		if (a->len >= 8) {
			guint64 v = ipft_rec_u64(r, a->val_off);
			nstime_t cd = { (time_t)(v / 1000000000), (int)(v % 1000000000) };
			proto_tree_add_time(et, hf_call_duration, ptvb, off, 8, &cd);
			g_string_append_printf(extra, " %" PRIu64 " ns", v);
		}
		break;
	case IPFT_ATTR_FUNC_ADDR:
		if (a->len >= 8)
			proto_tree_add_uint64(et, hf_func_addr, ptvb, off, 8,
					      ipft_rec_u64(r, a->val_off));
		break;
	case IPFT_ATTR_KV:
		add_kv(et, ptvb, pinfo, r, a, extra);
		break;
	case IPFT_ATTR_PACKED: {
		struct ipft_attr_view kv;
		size_t cur = 0;
		int rc;

		while ((rc = ipft_rec_next_packed(r, a, &cur, &kv, err, errlen)) == 1)
			add_kv(et, ptvb, pinfo, r, &kv, extra);
		return rc == 0;
	}
	}
	return TRUE;
}

/* The items of an event's header, each on its own bytes. */
static void add_event_header(proto_tree *et, tvbuff_t *ptvb, const struct ipft_event_view *ev,
			     const char *name, const nstime_t *delta)
{
	nstime_t t = { (time_t)(ev->ts_ns / 1000000000), (int)(ev->ts_ns % 1000000000) };

	proto_tree_add_string(et, hf_func, ptvb, (gint)ev->name_off, ev->name_len, name);
	proto_tree_add_uint(et, hf_kind, ptvb, EVENT_FIELD(ev, kind), ev->kind);
	proto_tree_add_time(et, hf_time, ptvb, EVENT_FIELD(ev, ts_ns), &t);
	proto_item *di = proto_tree_add_time(et, hf_delta, ptvb, EVENT_FIELD(ev, ts_ns), delta);
	proto_item_set_generated(di);
	proto_tree_add_uint(et, hf_cpu, ptvb, EVENT_FIELD(ev, cpu), ev->cpu);
	proto_tree_add_uint(et, hf_depth, ptvb, EVENT_FIELD(ev, depth), ev->depth);
	if (ev->flags & IPFT_EVF_FIRST)
		proto_tree_add_boolean(et, hf_first, ptvb, EVENT_FIELD(ev, flags), TRUE);
	if (ev->flags & IPFT_EVF_FREE)
		proto_tree_add_boolean(et, hf_free, ptvb, EVENT_FIELD(ev, flags), TRUE);
	if (ev->flags & IPFT_EVF_CAPTURE)
		proto_tree_add_boolean(et, hf_capture, ptvb, EVENT_FIELD(ev, flags), TRUE);
	if (ev->flags & IPFT_EVF_SNAPSHOT)
		ipft_snapshot_event_flag(et, ptvb, EVENT_FIELD(ev, flags));
}

/* One event under tree: "    -> ip_rcv  cpu 1  +0.000002100 s", indented by
 * call depth, with its attributes.  FALSE if they are malformed. */
static gboolean add_event(proto_tree *tree, tvbuff_t *ptvb, packet_info *pinfo,
			  const struct ipft_rec *r, const struct ipft_event_view *ev,
			  guint64 *prev_ts, char *err, size_t errlen)
{
	char *name = rec_string(pinfo, r, ev->name_off, ev->name_len);
	const char *arrow = ev->kind == IPFT_KIND_FUNC_ENTRY ? "-> " :
			    ev->kind == IPFT_KIND_FUNC_RETURN ? "<- " : "";
	guint64 delta = *prev_ts && ev->ts_ns >= *prev_ts ? ev->ts_ns - *prev_ts : 0;
	nstime_t d = { (time_t)(delta / 1000000000), (int)(delta % 1000000000) };
	GString *extra = g_string_new("");
	struct ipft_attr_view a;
	size_t cur = 0;
	int rc;

	*prev_ts = ev->ts_ns;
	proto_item *ei = proto_tree_add_item(tree, hf_event, ptvb, (gint)ev->off, (gint)ev->len, ENC_NA);
	proto_tree *et = proto_item_add_subtree(ei, ett_event);
	add_event_header(et, ptvb, ev, name, &d);
	while ((rc = ipft_rec_next_attr(r, ev, &cur, &a, err, errlen)) == 1)
		if (!add_attr(et, ptvb, pinfo, r, &a, extra, err, errlen)) {
			rc = -1;
			break;
		}
	proto_item_set_text(ei, "%*s%s%s  cpu %u  +%u.%09u s%s", 2 * ev->depth, "", arrow, name,
			    ev->cpu, (unsigned)d.secs, (unsigned)d.nsecs, extra->str);
	g_string_free(extra, TRUE);
	return rc == 0;
}

/* Adds one part's events under tree, their items on ptvb's bytes. */
static gboolean add_events(tvbuff_t *ptvb, packet_info *pinfo, proto_tree *tree,
			   guint64 *prev_ts, char *err, size_t errlen)
{
	struct ipft_rec r;
	struct ipft_event_view ev;
	size_t cur = 0;
	int rc;

	if (ipft_rec_parse(&r, tvb_get_ptr(ptvb, 0, -1), tvb_captured_length(ptvb), err, errlen) < 0)
		return FALSE;
	/* "part of parts": the item spans both fields. */
	proto_tree_add_uint_format_value(tree, hf_part, ptvb, (gint)IPFT_OFF(trace, part),
					 (gint)(IPFT_SIZE(trace, part) + IPFT_SIZE(trace, parts)),
					 r.part, "%u of %u", r.part + 1, r.parts);
	while ((rc = ipft_rec_next_event(&r, &cur, &ev, err, errlen)) == 1)
		if (!add_event(tree, ptvb, pinfo, &r, &ev, prev_ts, err, errlen))
			return FALSE;
	return rc == 0;
}

/* Packet ID and flags, from the first part's header. */
static void add_trace_header(tvbuff_t *tvb, proto_tree *st, const trace_parts_t *tp,
			     const struct ipft_trace *t, ipft_tap_info_t *tap)
{
	static int *const flag_fields[] = { &hf_flag_complete, &hf_flag_partial, &hf_flag_lost,
					    &hf_flag_truncated, NULL };
	struct ipft_rec r;

	if (ipft_rec_parse(&r, tp->data[0], tp->len[0], NULL, 0) < 0 || r.type != IPFT_REC_TRACE)
		return;
	tvbuff_t *ptvb = tvb_new_child_real_data(tvb, tp->data[0], tp->len[0], tp->len[0]);
	proto_tree_add_uint64(st, hf_packet_id, ptvb, REC_FIELD(trace, packet_id), r.packet_id);
	/* The flags of all parts together, when they decode. */
	proto_tree_add_bitmask_value(st, ptvb, (gint)IPFT_OFF(trace, flags), hf_flags, ett_flags,
				     flag_fields, t ? t->flags : r.flags);
	tap->packet_id = r.packet_id;
}

/* Events, duration, path and drop: what the decoded trace says as a whole. */
static void add_summary(tvbuff_t *tvb, packet_info *pinfo, proto_tree *st, const summary_t *s)
{
	proto_item *pi = proto_tree_add_uint(st, hf_events, tvb, 0, 0, s->events);
	proto_item_set_generated(pi);
	guint64 dur = s->last_ts - s->first_ts;
	nstime_t d = { (time_t)(dur / 1000000000), (int)(dur % 1000000000) };
	pi = proto_tree_add_time(st, hf_duration, tvb, 0, 0, &d);
	proto_item_set_generated(pi);
	pi = proto_tree_add_string(st, hf_path, tvb, 0, 0, s->path);
	proto_item_set_generated(pi);
	if (!s->drop_reason && !s->has_drop)
		return;
	const char *reason = s->drop_reason ? s->drop_reason :
			     wmem_strdup_printf(pinfo->pool, "%u", s->drop_code);
	const char *where = s->drop_location ? s->drop_location : "unknown location";
	pi = proto_tree_add_string(st, hf_drop_reason, tvb, 0, 0, reason);
	proto_item_set_generated(pi);
	expert_add_info_format(pinfo, pi, &ei_drop, "Dropped: %s at %s", reason, where);
	pi = proto_tree_add_string(st, hf_drop_location, tvb, 0, 0, where);
	proto_item_set_generated(pi);
	s->tap->drop_reason = reason;
}

/* The ipft tree of one packet from its trace parts (in order); bad_record,
 * if not NULL, says why another ipft record of the packet is malformed. */
static void dissect_trace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
			  const trace_parts_t *tp, const char *bad_record, const char *carrier)
{
	summary_t s = { 0 };
	char err[256] = "";
	struct ipft_trace *t = NULL;
	gboolean ok = TRUE, snapshot = FALSE;

	if (bad_record)
		g_strlcpy(err, bad_record, sizeof(err));
	else
		t = decode_parts(tp, err, sizeof(err));
	s.tap = wmem_new0(pinfo->pool, ipft_tap_info_t);
	proto_item *ti = proto_tree_add_item(tree, proto_ipft, tvb, 0, 0, ENC_NA);
	proto_tree *st = proto_item_add_subtree(ti, ett_ipft);
	proto_item_set_generated(ti);
	if (tp->n)
		add_trace_header(tvb, st, tp, t, s.tap);
	if (t) {
		summarize(pinfo, t, &s);
		add_summary(tvb, pinfo, st, &s);
		if (t->flags & IPFT_TRACE_PARTIAL)
			expert_add_info(pinfo, ti, &ei_partial);
		if (t->flags & IPFT_TRACE_EVENTS_LOST)
			expert_add_info(pinfo, ti, &ei_lost);
		snapshot = ipft_snapshot_tree(tvb, pinfo, st, t);
		ipft_trace_free(t);
	}
	/* The events the views can read, even of a malformed trace. */
	guint64 prev = 0;
	for (int i = 0; ok && i < tp->n; i++) {
		tvbuff_t *ptvb = tvb_new_child_real_data(tvb, tp->data[i], tp->len[i], tp->len[i]);
		add_new_data_source(pinfo, ptvb, "ipft trace");
		ok = add_events(ptvb, pinfo, st, &prev, err[0] ? NULL : err, sizeof(err));
	}
	if (err[0]) {
		proto_item_append_text(ti, " (%s): malformed", carrier);
		expert_add_info_format(pinfo, ti, &ei_malformed, "Malformed ipft trace: %s", err);
		col_append_str(pinfo->cinfo, COL_INFO, " [ipft: malformed trace]");
		return;
	}
	proto_item_append_text(ti, " (%s), %u events: %s", carrier, s.events, s.path);
	if (snapshot)
		return; /* its packet is in the statistics with its first EPB */
	col_append_fstr(pinfo->cinfo, COL_INFO, " [ipft: %s]", s.path);
	tap_queue_packet(ipft_tap, pinfo, s.tap);
}

/* ---- carriers -------------------------------------------------------- */

/* A packet's ipft records from its options: the trace parts, and why a
 * record of another type is malformed, if one is. */
typedef struct {
	packet_info *pinfo;
	trace_parts_t parts;
	char bad_record[256];
} opt_collect_t;

static ipft_foreach_ret_t collect_option(wtap_block_t block _U_, guint option_id,
					 wtap_opttype_e type _U_, wtap_optval_t *optval,
					 void *user_data)
{
	opt_collect_t *c = (opt_collect_t *)user_data;
	struct ipft_rec r;

	if ((option_id != OPT_CUSTOM_BIN_COPY && option_id != OPT_CUSTOM_BIN_NO_COPY) ||
	    IPFT_OPT_PEN(optval) != IPFT_PEN)
		return TRUE;
	const guint8 *data = (const guint8 *)IPFT_OPT_DATA(optval);
	guint len = (guint)IPFT_OPT_LEN(optval);
	if (!ipft_rec_is_ipft(data, len))
		return TRUE; /* someone else's use of the documentation PEN */
	/* Other record types are skipped, as the format says, once valid. */
	if (ipft_rec_parse(&r, data, len, NULL, 0) == 0 && r.type != IPFT_REC_TRACE) {
		if (!c->bad_record[0])
			ipft_rec_check(data, len, c->bad_record, sizeof(c->bad_record));
		return TRUE;
	}
	if (c->parts.n < MAX_PARTS) {
		c->parts.data[c->parts.n] = (guint8 *)wmem_memdup(c->pinfo->pool, data, len);
		c->parts.len[c->parts.n++] = len;
	}
	return TRUE;
}

/* Keeps a Custom Block's trace for the packet whose epb_packetid matches. */
static void keep_block_trace(const struct ipft_rec *r, const guint8 *buf, guint len)
{
	guint64 *key = wmem_new(wmem_file_scope(), guint64);
	trace_parts_t *tp;

	*key = r->packet_id;
	tp = (trace_parts_t *)wmem_map_lookup(block_traces, key);
	if (!tp) {
		tp = wmem_new0(wmem_file_scope(), trace_parts_t);
		wmem_map_insert(block_traces, key, tp);
	}
	if (tp->n < MAX_PARTS) {
		tp->data[tp->n] = (guint8 *)wmem_memdup(wmem_file_scope(), buf, len);
		tp->len[tp->n++] = len;
	}
}

/* A Custom Block holding a trace: labelled with its path, kept for its packet. */
static void dissect_block_trace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *bt, proto_item *ti,
				const struct ipft_rec *r, const guint8 *buf, guint len)
{
	struct ipft_trace *t = NULL;
	char err[256];
	char *path = NULL;

	if (ipft_trace_decode(buf, len, &t, err, sizeof(err)) == 0) {
		path = ipft_trace_path(t, 0);
		ipft_trace_free(t);
	}
	proto_tree_add_string(bt, hf_block_record, tvb, REC_FIELD(rec, type), "trace");
	proto_tree_add_uint64(bt, hf_block_packet_id, tvb, REC_FIELD(trace, packet_id), r->packet_id);
	proto_tree_add_uint(bt, hf_block_events, tvb, REC_FIELD(trace, n_events), r->n_events);
	if (!t)
		expert_add_info_format(pinfo, ti, &ei_malformed, "Malformed ipft trace: %s", err);
	else if (path)
		proto_tree_add_string(bt, hf_block_path, tvb, 0, 0, path);
	col_add_fstr(pinfo->cinfo, COL_INFO, "Trace of packet 0x%016" PRIx64 ": %s", r->packet_id,
		     !t ? "malformed trace" : path ? path : "");
	free(path);
	if (!PINFO_FD_VISITED(pinfo))
		keep_block_trace(r, buf, len);
}

/* A Custom Block holding run information or statistics: key/value attributes. */
static void dissect_block_info(tvbuff_t *tvb, packet_info *pinfo, proto_tree *bt, proto_item *ti,
			       const struct ipft_rec *r)
{
	const char *what = r->type == IPFT_REC_RUN_INFO ? "run information" :
			   r->type == IPFT_REC_STATS ? "statistics" : "unknown record";
	wmem_strbuf_t *info = wmem_strbuf_new(pinfo->pool, "");
	struct ipft_attr_view a;
	char err[256];
	size_t cur = 0;
	int rc = 0;

	proto_tree_add_string(bt, hf_block_record, tvb, REC_FIELD(rec, type), what);
	while ((r->type == IPFT_REC_RUN_INFO || r->type == IPFT_REC_STATS) &&
	       (rc = ipft_rec_next_attr(r, NULL, &cur, &a, err, sizeof(err))) == 1) {
		if (a.type != IPFT_ATTR_KV)
			continue;
		char *k = rec_string(pinfo, r, a.key_off, a.key_len);
		char *v = kv_value_string(pinfo, r, &a);
		proto_tree_add_string(bt, hf_block_key, tvb, (gint)a.key_off, a.key_len, k);
		proto_tree_add_string(bt, hf_block_value, tvb, (gint)a.kval_off, (gint)a.kval_len, v);
		if (strcmp(k, "attach") != 0 && wmem_strbuf_get_len(info) < 200)
			wmem_strbuf_append_printf(info, "%s%s=%s", wmem_strbuf_get_len(info) ? ", " : "", k, v);
	}
	if (rc < 0)
		expert_add_info_format(pinfo, ti, &ei_malformed, "Malformed ipft record: %s", err);
	col_add_fstr(pinfo->cinfo, COL_INFO, "ipft %s: %s", what, wmem_strbuf_get_str(info));
}

/* A Custom Block record with ipft's PEN. */
static int dissect_ipft_block(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
	guint len = tvb_captured_length(tvb);
	const guint8 *buf = tvb_get_ptr(tvb, 0, len);
	struct ipft_rec r;
	char err[256];

	if (!ipft_rec_is_ipft(buf, len))
		return 0; /* someone else's use of the documentation PEN */
	col_set_str(pinfo->cinfo, COL_PROTOCOL, "ipft");
	proto_item *ti = proto_tree_add_item(tree, proto_ipft, tvb, 0, -1, ENC_NA);
	proto_tree *bt = proto_item_add_subtree(ti, ett_block);
	if (ipft_rec_parse(&r, buf, len, err, sizeof(err)) < 0) {
		col_set_str(pinfo->cinfo, COL_INFO, "Malformed ipft record");
		expert_add_info_format(pinfo, ti, &ei_malformed, "Malformed ipft record: %s", err);
	} else if (r.type == IPFT_REC_TRACE) {
		dissect_block_trace(tvb, pinfo, bt, ti, &r, buf, len);
	} else {
		dissect_block_info(tvb, pinfo, bt, ti, &r);
	}
	return len;
}

/* An EPB: its trace from its own options, else from Custom Blocks. */
static void dissect_packet(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, wtap_block_t block)
{
	opt_collect_t *c = wmem_new0(pinfo->pool, opt_collect_t);
	guint64 id;

	c->pinfo = pinfo;
	wtap_block_foreach_option(block, collect_option, c);
	if (c->parts.n || c->bad_record[0]) {
		dissect_trace(tvb, pinfo, tree, &c->parts, c->bad_record[0] ? c->bad_record : NULL,
			      "EPB option");
		return;
	}
	if (wtap_block_get_uint64_option_value(block, OPT_PKT_PACKETID, &id) == WTAP_OPTTYPE_SUCCESS) {
		trace_parts_t *tp = (trace_parts_t *)wmem_map_lookup(block_traces, &id);
		if (tp)
			dissect_trace(tvb, pinfo, tree, tp, NULL, "custom block");
	}
}

/* Runs after every record: packets and, on 4.0, Custom Blocks too. */
static int dissect_ipft_post(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
	const wtap_rec *rec = pinfo->rec;

	if (!rec)
		return 0;
	if (rec->rec_type == REC_TYPE_CUSTOM_BLOCK) {
		if (cb_table_used || rec->rec_header.custom_block_header.pen != IPFT_PEN)
			return 0;
		return dissect_ipft_block(tvb, pinfo, tree, NULL);
	}
	if (rec->rec_type == REC_TYPE_PACKET && rec->block)
		dissect_packet(tvb, pinfo, tree, rec->block);
	return 0;
}

/* ---- registration ------------------------------------------------------ */

void proto_register_ipft(void)
{
	static hf_register_info hf[] = {
		{ &hf_packet_id, { "Packet ID", "ipft.packet_id", FT_UINT64, BASE_HEX, NULL, 0,
				   "Equal to this packet's epb_packetid", HFILL } },
		{ &hf_flags, { "Trace flags", "ipft.flags", FT_UINT32, BASE_HEX, NULL, 0, NULL, HFILL } },
		{ &hf_flag_complete, { "Complete", "ipft.complete", FT_BOOLEAN, 32, NULL,
				       IPFT_TRACE_COMPLETE, "The skb was freed while traced", HFILL } },
		{ &hf_flag_partial, { "Partial", "ipft.partial", FT_BOOLEAN, 32, NULL, IPFT_TRACE_PARTIAL,
				      "The packet was still alive when written", HFILL } },
		{ &hf_flag_lost, { "Events lost", "ipft.events_lost", FT_BOOLEAN, 32, NULL,
				   IPFT_TRACE_EVENTS_LOST, NULL, HFILL } },
		{ &hf_flag_truncated, { "Truncated", "ipft.truncated", FT_BOOLEAN, 32, NULL,
					IPFT_TRACE_TRUNCATED, NULL, HFILL } },
		{ &hf_events, { "Events", "ipft.events", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL } },
		{ &hf_duration, { "Duration", "ipft.duration", FT_RELATIVE_TIME, BASE_NONE, NULL, 0,
				  "From the first to the last event", HFILL } },
		{ &hf_path, { "Path", "ipft.path", FT_STRING, BASE_NONE, NULL, 0,
			      "Where the packet went, in order", HFILL } },
		{ &hf_drop_reason, { "Drop reason", "ipft.drop_reason", FT_STRING, BASE_NONE, NULL, 0,
				     NULL, HFILL } },
		{ &hf_ev_drop_reason, { "Drop reason", "ipft.event.drop_reason", FT_STRING, BASE_NONE,
					NULL, 0, "On the event where the kernel freed the packet", HFILL } },
		{ &hf_ev_drop_location, { "Drop location", "ipft.event.drop_location", FT_STRING,
					  BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_drop_reason_code, { "Drop reason code", "ipft.drop_reason_code", FT_UINT32,
					  BASE_DEC, NULL, 0, NULL, HFILL } },
		{ &hf_drop_location, { "Drop location", "ipft.drop_location", FT_STRING, BASE_NONE,
				       NULL, 0, NULL, HFILL } },
		{ &hf_part, { "Part", "ipft.part", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL } },
		{ &hf_event, { "Event", "ipft.event", FT_NONE, BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_func, { "Function", "ipft.func", FT_STRING, BASE_NONE, NULL, 0,
			      "Function or tracepoint the packet passed", HFILL } },
		{ &hf_kind, { "Kind", "ipft.kind", FT_UINT8, BASE_DEC, VALS(kind_vals), 0, NULL, HFILL } },
		{ &hf_time, { "Time", "ipft.time", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0, NULL,
			      HFILL } },
		{ &hf_delta, { "Since previous event", "ipft.delta", FT_RELATIVE_TIME, BASE_NONE, NULL,
			       0, NULL, HFILL } },
		{ &hf_cpu, { "CPU", "ipft.cpu", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL } },
		{ &hf_depth, { "Call depth", "ipft.depth", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL } },
		{ &hf_first, { "Entered the trace here", "ipft.first", FT_BOOLEAN, BASE_NONE, NULL, 0,
			       NULL, HFILL } },
		{ &hf_free, { "Freed here", "ipft.freed", FT_BOOLEAN, BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_capture, { "Header bytes captured here", "ipft.event.capture", FT_BOOLEAN,
				 BASE_NONE, NULL, 0, "The packet record holds the bytes seen at this event",
				 HFILL } },
		{ &hf_retval, { "Return value", "ipft.retval", FT_INT64, BASE_DEC, NULL, 0, NULL, HFILL } },
		{ &hf_call_duration, { "Call duration", "ipft.call_duration", FT_RELATIVE_TIME,
				       BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_func_addr, { "Function address", "ipft.func_addr", FT_UINT64, BASE_HEX, NULL, 0,
				   NULL, HFILL } },
		{ &hf_data_key, { "Data key", "ipft.data.key", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_data_value, { "Data value", "ipft.data.value", FT_STRING, BASE_NONE, NULL, 0,
				    NULL, HFILL } },
		{ &hf_block_record, { "Record", "ipft.block.record", FT_STRING, BASE_NONE, NULL, 0,
				      NULL, HFILL } },
		{ &hf_block_packet_id, { "Packet ID", "ipft.block.packet_id", FT_UINT64, BASE_HEX, NULL,
					 0, NULL, HFILL } },
		{ &hf_block_path, { "Path", "ipft.block.path", FT_STRING, BASE_NONE, NULL, 0, NULL,
				    HFILL } },
		{ &hf_block_events, { "Events", "ipft.block.events", FT_UINT32, BASE_DEC, NULL, 0, NULL,
				      HFILL } },
		{ &hf_block_key, { "Key", "ipft.block.key", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL } },
		{ &hf_block_value, { "Value", "ipft.block.value", FT_STRING, BASE_NONE, NULL, 0, NULL,
				     HFILL } },
	};
	static int *ett[] = { &ett_ipft, &ett_event, &ett_flags, &ett_block };
	static ei_register_info ei[] = {
		{ &ei_drop, { "ipft.drop", PI_SEQUENCE, PI_WARN, "The kernel dropped this packet",
			      EXPFILL } },
		{ &ei_malformed, { "ipft.malformed", PI_MALFORMED, PI_ERROR, "Malformed ipft trace",
				   EXPFILL } },
		{ &ei_partial, { "ipft.partial.expert", PI_SEQUENCE, PI_NOTE,
				 "Partial trace: the packet was still alive when ipft wrote it",
				 EXPFILL } },
		{ &ei_lost, { "ipft.events_lost.expert", PI_SEQUENCE, PI_WARN,
			      "Events of this packet were lost (ring buffer full)", EXPFILL } },
	};

	proto_ipft = proto_register_protocol("ipft kernel packet trace", "ipft", "ipft");
	proto_register_field_array(proto_ipft, hf, array_length(hf));
	ipft_fields_register(proto_ipft);
	ipft_snapshot_register(proto_ipft);
	proto_register_subtree_array(ett, array_length(ett));
	expert_register_field_array(expert_register_protocol(proto_ipft), ei, array_length(ei));
	block_traces = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_int64_hash,
					      g_int64_equal);
	ipft_tap = register_tap("ipft");
	ipft_register_stats();
}

void proto_reg_handoff_ipft(void)
{
	register_postdissector(create_dissector_handle(dissect_ipft_post, proto_ipft));
	ipft_snapshot_handoff();
	/* 4.4+ has a PEN-keyed table for Custom Blocks: found at run time. */
	if (find_dissector_table("pcapng_custom_block")) {
		dissector_add_uint("pcapng_custom_block", IPFT_PEN,
				   create_dissector_handle(dissect_ipft_block, proto_ipft));
		cb_table_used = TRUE;
	}
}
