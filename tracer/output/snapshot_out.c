/* snapshot_out.c - header snapshots queued in time order (snapshot_out.h). */
#include "tracer/output/snapshot_out.h"
#include "tracer/collect/packets.h"
#include "tracer/collect/snaps.h"
#include "pcapng/pcapng.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 160

/* ---- flows --------------------------------------------------------- */

/* What a translation rewrites and a tunnel changes: the outer IP header's
 * version, protocol, addresses, and ports. */
struct flow {
	uint8_t version, proto;       /* version 0: not IP */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	bool ports;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The flow of IP header bytes p (len of them). */
static void ip_flow(const uint8_t *p, size_t len, struct flow *f)
{
	size_t hl = 0, alen = 0;

	if (len >= 20 && (p[0] >> 4) == 4) {
		hl = (size_t)(p[0] & 15) * 4;
		alen = 4;
		f->proto = p[9];
		memcpy(f->src, p + 12, 4);
		memcpy(f->dst, p + 16, 4);
		if (be16(p + 6) & 0x3fff)
			hl = 0; /* a fragment: ports in the first only */
	} else if (len >= 40 && (p[0] >> 4) == 6) {
		hl = 40;
		alen = 16;
		f->proto = p[6];
		memcpy(f->src, p + 8, 16);
		memcpy(f->dst, p + 24, 16);
	}
	if (!alen)
		return;
	f->version = p[0] >> 4;
	if (hl >= 20 && hl + 4 <= len &&
	    (f->proto == 6 || f->proto == 17 || f->proto == 132 || f->proto == 136)) {
		f->ports = true;
		f->sport = be16(p + hl);
		f->dport = be16(p + hl + 2);
	}
}

static void flow_of(const struct ipft_capture *c, struct flow *f)
{
	size_t off = c->layer == IPFT_CAPTURE_L2 ? 14 : 0;

	memset(f, 0, sizeof(*f));
	if (c->caplen > off && (!off || be16(c->data + 12) == 0x0800 ||
				be16(c->data + 12) == 0x86dd))
		ip_flow(c->data + off, c->caplen - off, f);
}

static bool same_flow(const struct flow *a, const struct flow *b)
{
	return a->version == b->version && a->proto == b->proto && a->ports == b->ports &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16) &&
	       a->sport == b->sport && a->dport == b->dport;
}

/* Snapshot i of p is visible to Wireshark's analyses as a packet of its
 * own: an IP flow of the packet's first protocol (a tunnel changes the
 * outer protocol, a translation never does) that no earlier EPB of the
 * packet showed. */
static bool snap_visible(const struct ipft_packet *p, size_t i)
{
	struct flow f, g;

	flow_of(&ipft_snap_at(p->snaps, i)->cap, &f);
	if (!p->captured || !f.version)
		return false;
	flow_of(&p->cap, &g);
	if (f.version != g.version || f.proto != g.proto || same_flow(&f, &g))
		return false;
	for (size_t j = 0; j < i; j++) {
		flow_of(&ipft_snap_at(p->snaps, j)->cap, &g);
		if (same_flow(&f, &g))
			return false;
	}
	return true;
}

/* One exported PDU tag; the bytes after it. */
static uint8_t *pdu_tag(uint8_t *b, uint16_t type, const void *v, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;

	b[0] = (uint8_t)(type >> 8);
	b[1] = (uint8_t)type;
	b[2] = (uint8_t)(padded >> 8);
	b[3] = (uint8_t)padded;
	memset(b + 4, 0, padded);
	memcpy(b + 4, v, len);
	return b + 4 + padded;
}

static uint8_t *pdu_u32(uint8_t *b, uint16_t type, uint32_t v)
{
	uint8_t be[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return pdu_tag(b, type, be, 4);
}

size_t ipft_snap_pdu(const struct ipft_capture *c, uint32_t len, uint8_t *buf)
{
	const char *name = c->layer == IPFT_CAPTURE_L2 ? IPFT_SNAP_PDU_ETH : IPFT_SNAP_PDU_IP;
	uint8_t *b = pdu_tag(buf, 12, name, strlen(name)); /* EXP_PDU_TAG_DISSECTOR_NAME */
	struct flow f;

	flow_of(c, &f);
	if (f.version) { /* EXP_PDU_TAG_IPV4/IPV6_SRC, _DST */
		b = pdu_tag(b, f.version == 4 ? 20 : 22, f.src, f.version == 4 ? 4 : 16);
		b = pdu_tag(b, f.version == 4 ? 21 : 23, f.dst, f.version == 4 ? 4 : 16);
	}
	if (f.ports && f.proto != 136) { /* EXP_PDU_TAG_PORT_TYPE: SCTP 1, TCP 2, UDP 3 */
		b = pdu_u32(b, 24, f.proto == 132 ? 1 : f.proto == 6 ? 2 : 3);
		b = pdu_u32(b, 25, f.sport);
		b = pdu_u32(b, 26, f.dport);
	}
	memset(b, 0, 4); /* EXP_PDU_TAG_END_OF_OPT */
	b += 4;
	memcpy(b, c->data, len);
	return (size_t)(b - buf) + len;
}

/* ---- the queue ------------------------------------------------------- */

/* A queued snapshot: the EPB's description and the bytes it points to. */
struct item {
	struct ipft_snap_epb e;
	char comment[COMMENT_MAX];
	char event[64];
	uint8_t *rec;
	struct ipft_capture cap; /* last: cap.caplen bytes of data */
};

struct ipft_snapq {
	struct item **v;         /* by time, earliest first */
	size_t n, cap;
};

struct ipft_snapq *ipft_snapq_new(void)
{
	return calloc(1, sizeof(struct ipft_snapq));
}

static void item_free(struct item *it)
{
	if (it)
		free(it->rec);
	free(it);
}

void ipft_snapq_free(struct ipft_snapq *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		item_free(q->v[i]);
	free(q->v);
	free(q);
}

struct rec_buf {
	uint8_t *rec;
	size_t len;
};

static int keep_record(const uint8_t *rec, size_t len, void *arg)
{
	struct rec_buf *b = arg;

	if (b->rec || !(b->rec = malloc(len)))
		return -1; /* one event: never more than one part */
	memcpy(b->rec, rec, len);
	b->len = len;
	return 0;
}

/* The snapshot's TRACE record: the event it was taken at, with its
 * number (key "snapshot") before the event's own key/values. */
static int encode_snap(struct item *it, const struct ipft_packet *p, const struct ipft_snap *sn,
		       unsigned number)
{
	struct ipft_event ev = { .ts_ns = sn->wall_ts, .kind = IPFT_KIND_TRACEPOINT,
				 .name = "(events lost)" };
	struct ipft_trace t = { .packet_id = p->packet_id, .flags = IPFT_TRACE_SNAPSHOT,
				.n_events = 1, .events = &ev };
	struct rec_buf b = { 0 };
	struct ipft_kv *kv;
	int rc;

	if (sn->event >= 0)
		ev = p->events[sn->event];
	ev.flags = (uint8_t)((ev.flags & ~(IPFT_EVF_FIRST | IPFT_EVF_FREE)) | IPFT_EVF_CAPTURE |
			     IPFT_EVF_SNAPSHOT);
	if (!(kv = calloc(ev.n_kv + 1, sizeof(*kv))))
		return -1;
	kv[0] = (struct ipft_kv){ .key = "snapshot", .type = IPFT_VT_U64, .u64 = number };
	if (ev.n_kv)
		memcpy(kv + 1, ev.kv, ev.n_kv * sizeof(*kv));
	ev.kv = kv;
	ev.n_kv++;
	rc = ipft_trace_encode(&t, PCAPNG_OPT_MAX_LEN - 4, keep_record, &b);
	free(kv);
	if (rc != 0) {
		free(b.rec);
		return -1;
	}
	it->rec = b.rec;
	it->e.rec = b.rec;
	it->e.rec_len = b.len;
	return 0;
}

static struct item *make_item(const struct ipft_packet *p, size_t i)
{
	const struct ipft_snap *sn = ipft_snap_at(p->snaps, i);
	unsigned number = sn->cap.snapshot;
	struct item *it = malloc(offsetof(struct item, cap) + offsetof(struct ipft_capture, data) +
				 sn->cap.caplen);

	if (!it)
		return NULL;
	memcpy(&it->cap, &sn->cap, offsetof(struct ipft_capture, data) + sn->cap.caplen);
	it->rec = NULL;
	it->event[0] = 0;
	if (sn->event >= 0)
		snprintf(it->event, sizeof(it->event), "%s", p->events[sn->event].name);
	snprintf(it->comment, sizeof(it->comment),
		 "ipft header snapshot %u of packet 0x%016" PRIx64 " at %s", number, p->packet_id,
		 it->event[0] ? it->event : "an event lost");
	it->e = (struct ipft_snap_epb){ .ts = sn->wall_ts, .packet_id = p->packet_id,
					.cap = &it->cap, .event = it->event[0] ? it->event : NULL,
					.comment = it->comment, .visible = snap_visible(p, i) };
	if (encode_snap(it, p, sn, number) < 0) {
		item_free(it);
		return NULL;
	}
	return it;
}

/* In time order; equal times keep the order they came in. */
static int insert(struct ipft_snapq *q, struct item *it)
{
	size_t i = q->n;

	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 64;
		struct item **v = realloc(q->v, cap * sizeof(*v));
		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	while (i > 0 && q->v[i - 1]->e.ts > it->e.ts) {
		q->v[i] = q->v[i - 1];
		i--;
	}
	q->v[i] = it;
	q->n++;
	return 0;
}

int ipft_snapq_add(struct ipft_snapq *q, const struct ipft_packet *p)
{
	for (size_t i = 0; p->snaps && i < p->snaps->n; i++) {
		struct item *it = make_item(p, i);
		if (!it || insert(q, it) < 0) {
			item_free(it);
			return -1;
		}
	}
	return 0;
}

int ipft_snapq_flush(struct ipft_snapq *q, uint64_t until, ipft_snap_write_fn write, void *arg)
{
	size_t n = 0;
	int rc = 0;

	while (n < q->n && q->v[n]->e.ts <= until && rc == 0)
		rc = write(&q->v[n++]->e, arg);
	if (n == 0)
		return rc; /* also: q->v may still be NULL */
	for (size_t i = 0; i < n; i++)
		item_free(q->v[i]);
	memmove(q->v, q->v + n, (q->n - n) * sizeof(*q->v));
	q->n -= n;
	return rc;
}
