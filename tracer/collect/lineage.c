/* lineage.c - lineage and header snapshots gathered and placed (lineage.h). */
#include "tracer/collect/lineage.h"
#include "tracer/collect/clock.h"
#include "tracer/collect/packets.h"
#include "tracer/collect/snaps.h"
#include "tracer/probes/probe.h"

#include <stdlib.h>
#include <string.h>

#define TABLE 1024                        /* recent datagrams, recent TCP flows */
#define FRAG_WINDOW_NS 1000000000ull      /* a datagram's fragments: within a second */
#define SEG_WINDOW_NS 10000000ull         /* segments start right after their super-packet */

/* A datagram's first fragment: (source, destination, protocol, id); the
 * fragments seen since, it first. */
struct frag_ref {
	uint8_t key[40];
	uint64_t packet_id, ts;
	uint64_t ids[IPFT_FRAGMENTS_MAX];
	uint32_t n_ids;
};

/* A TCP packet with data, by flow: the range its segments would have,
 * and where its headers were taken. */
struct seg_ref {
	uint8_t key[36];
	uint64_t packet_id, end_ts;
	uint32_t seq, end, mss;              /* mss: the first segment's length */
	uint32_t probe_id, ifindex, netns;
};

/* An IPv4 datagram seen whole that a router may still cut (DF clear):
 * fragments made from it by ip_do_fragment are new skbs, the first one
 * too (the forwarded datagram is consumed). */
struct whole_ref {
	uint8_t key[40];
	uint64_t packet_id, ts;
	uint32_t tot_len;
	uint32_t l4_len;                     /* UDP's length field; 0: not UDP */
};

struct ipft_lineage {
	struct frag_ref frags[TABLE];
	struct whole_ref wholes[TABLE];      /* by addresses, protocol and id */
	struct whole_ref wholes_by_id[TABLE]; /* by protocol and id: translated */
	struct seg_ref segs[TABLE];
};

struct ipft_lineage *ipft_lineage_new(void)
{
	return calloc(1, sizeof(struct ipft_lineage));
}

void ipft_lineage_free(struct ipft_lineage *l)
{
	free(l);
}

/* ---- the per-packet allocation ------------------------------------------- */

static size_t snap_stride(size_t snaplen)
{
	size_t n = offsetof(struct ipft_snap, cap) + offsetof(struct ipft_capture, data) + snaplen;

	return (n + 7) & ~(size_t)7;
}

/* p's lineage and snapshots with room for n snapshots; NULL (no memory). */
static struct ipft_snaps *snaps_of(struct ipft_packet *p, size_t n, size_t stride)
{
	struct ipft_snaps *s = p->snaps;

	if (s && n <= s->n)
		return s;
	if (s && n > 0 && s->n > 0 && s->stride != stride)
		return NULL;
	s = realloc(s, sizeof(*s) + n * stride);
	if (!s)
		return NULL;
	if (!p->snaps)
		memset(s, 0, sizeof(*s));
	s->stride = stride;
	p->snaps = s;
	return s;
}

int ipft_snaps_add(struct ipft_packet *p, const struct ipft_capture *c, size_t snaplen)
{
	size_t n = p->snaps ? p->snaps->n : 0;
	struct ipft_snaps *s;
	struct ipft_snap *sn;

	if (c->caplen > snaplen || n > IPFT_SNAPSHOTS_MAX ||
	    !(s = snaps_of(p, n + 1, snap_stride(snaplen))))
		return -1;
	s->n = n + 1;
	sn = ipft_snap_at(s, n);
	sn->event = -1;
	sn->wall_ts = 0;
	memcpy(&sn->cap, c, offsetof(struct ipft_capture, data) + c->caplen);
	return 0;
}

static void set_parent(struct ipft_packet *p, uint64_t parent, uint32_t kind, uint32_t index,
		       bool parent_headers)
{
	struct ipft_snaps *s = snaps_of(p, 0, p->snaps ? p->snaps->stride : 0);

	if (!s || s->parent_id)
		return;
	s->parent_id = parent;
	s->kind = kind;
	s->index = index;
	s->parent_headers = parent_headers;
}

void ipft_lineage_record(struct ipft_packet *p, const struct ipft_lineage_rec *r,
			 bool parent_captured)
{
	set_parent(p, r->parent_id, r->kind, r->index, parent_captured);
}

void ipft_lineage_merged_into(struct ipft_packet *into, uint64_t merged_id)
{
	struct ipft_snaps *s = snaps_of(into, 0, into->snaps ? into->snaps->stride : 0);

	if (s && s->n_merged < IPFT_MERGED_MAX)
		s->merged[s->n_merged++] = merged_id;
}

/* ---- snapshots on their events ----------------------------------------- */

/* The last event of the capturing attach point at or before when the
 * kernel took the snapshot: the hit that took it (its time was read
 * first); -1 when its hits were lost. */
static int32_t snap_event(const struct ipft_packet *p, const char *name, uint64_t wall)
{
	for (size_t i = p->n_events; i-- > 0;)
		if (p->events[i].name == name && p->events[i].ts_ns <= wall)
			return (int32_t)i;
	return -1;
}

static void place_snaps(struct ipft_packet *p, const struct ipft_probe_set *probes,
			const struct ipft_clock *clock)
{
	for (size_t i = 0; p->snaps && i < p->snaps->n; i++) {
		struct ipft_snap *sn = ipft_snap_at(p->snaps, i);
		const char *name = sn->cap.probe_id < probes->n ? probes->v[sn->cap.probe_id].name :
								  NULL;

		sn->wall_ts = ipft_packet_wall_ns(p, clock, sn->cap.mono_ns);
		sn->event = name ? snap_event(p, name, sn->wall_ts) : -1;
		if (sn->event >= 0) {
			p->events[sn->event].flags |= IPFT_EVF_SNAPSHOT;
			sn->wall_ts = p->events[sn->event].ts_ns;
		}
	}
}

/* ---- what the headers say ---------------------------------------------- */

static uint32_t be16(const uint8_t *b)
{
	return (uint32_t)b[0] << 8 | b[1];
}

static uint32_t be32(const uint8_t *b)
{
	return be16(b) << 16 | be16(b + 2);
}

/* The IP header the capture holds, and its length in it; NULL if none. */
static const uint8_t *ip_of(const struct ipft_capture *c, size_t *len)
{
	size_t off = c->layer == IPFT_CAPTURE_L2 ? 14 : 0;

	if (c->caplen < off + 20 || (off && be16(c->data + 12) != 0x0800 &&
				     be16(c->data + 12) != 0x86dd))
		return NULL;
	*len = c->caplen - off;
	return c->data + off;
}

/* An IPv4 datagram's key: addresses, protocol, id. */
static void ip4_datagram_key(const uint8_t *ip, uint8_t key[40])
{
	memset(key, 0, 40);
	memcpy(key, ip + 12, 8);
	key[8] = ip[9];
	memcpy(key + 9, ip + 4, 2);
}

/* The part of that key an address translation leaves: protocol and id. */
static void ip4_untranslated_key(const uint8_t *ip, uint8_t key[40])
{
	memset(key, 0, 40);
	key[8] = ip[9];
	memcpy(key + 9, ip + 4, 2);
}

/* UDP's length field in the len bytes of an IPv4 header and what follows;
 * 0 if not UDP or not there. */
static uint32_t ip4_udp_len(const uint8_t *ip, size_t len)
{
	size_t hl = (size_t)(ip[0] & 15) * 4;

	return ip[9] == 17 && hl >= 20 && len >= hl + 8 ? be16(ip + hl + 4) : 0;
}

/* Where an IPv6 fragment header is in the len bytes at ip: after the
 * extension headers a sender puts before it (hop-by-hop, destination
 * options, routing: ip6_find_1stfragopt()); 0 if there is none. */
static size_t ip6_frag_header(const uint8_t *ip, size_t len)
{
	size_t pos = 40;
	uint8_t nh = len >= pos ? ip[6] : 0xff;

	for (int i = 0; i < IPFT_IP6_EXT_MAX && IPFT_IP6_BEFORE_FRAGMENT(nh) && len >= pos + 8; i++) {
		nh = ip[pos];
		pos += (ip[pos + 1] + 1u) * 8;
	}
	return nh == IPFT_IP6_FRAGMENT && len >= pos + 8 ? pos : 0;
}

/* A fragment: its datagram's key and its offset in bytes; false if the
 * headers are no fragment's. */
static bool frag_of(const uint8_t *ip, size_t len, uint8_t key[40], uint32_t *off, bool *more)
{
	memset(key, 0, 40);
	if ((ip[0] >> 4) == 4) {
		uint32_t f = be16(ip + 6);
		if (!(f & 0x3fff))
			return false;
		ip4_datagram_key(ip, key);
		*off = (f & 0x1fff) * 8;
		*more = f & 0x2000;
		return true;
	}
	size_t fh = (ip[0] >> 4) == 6 ? ip6_frag_header(ip, len) : 0;
	if (fh) {
		memcpy(key, ip + 8, 32);
		key[32] = ip[fh];
		memcpy(key + 33, ip + fh + 4, 4);
		*off = be16(ip + fh + 2) & ~7u;
		*more = ip[fh + 3] & 1;
		return true;
	}
	return false;
}

/* A TCP packet with data: its flow's key, sequence and data length. */
static bool tcp_of(const uint8_t *ip, size_t len, uint8_t key[36], uint32_t *seq, uint32_t *dlen)
{
	size_t hl = 0, tot = 0, alen = 0;

	if ((ip[0] >> 4) == 4 && ip[9] == 6 && !(be16(ip + 6) & 0x3fff)) {
		hl = (size_t)(ip[0] & 15) * 4;
		tot = be16(ip + 2);
		alen = 4;
	} else if ((ip[0] >> 4) == 6 && len >= 40 && ip[6] == 6) {
		hl = 40;
		tot = 40 + be16(ip + 4);
		alen = 16;
	}
	if (!alen || hl < 20 || len < hl + 20 || tot < hl + (size_t)(ip[hl + 12] >> 4) * 4)
		return false;
	memset(key, 0, 36);
	memcpy(key, ip + (alen == 4 ? 12 : 8), 2 * alen);
	memcpy(key + 32, ip + hl, 4); /* the ports */
	*seq = be32(ip + hl + 4);
	*dlen = (uint32_t)(tot - hl - (size_t)(ip[hl + 12] >> 4) * 4);
	return *dlen > 0;
}

static size_t slot_of(const uint8_t *key, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29)) & (TABLE - 1);
}

/* ---- parents the headers show -------------------------------------------- */

/* Whether w is the datagram whole that p, a fragment at offset 0, was
 * cut from: keyed alike, longer, seen within the window. */
static bool whole_holds(const struct whole_ref *w, const struct ipft_packet *p,
			const uint8_t *ip, const uint8_t key[40])
{
	return w->packet_id && w->packet_id != p->packet_id && !memcmp(w->key, key, 40) &&
	       p->wall_ts - w->ts < FRAG_WINDOW_NS && be16(ip + 2) < w->tot_len;
}

/* The datagram seen whole that the first fragment p was cut from; NULL.
 * By addresses, protocol and id; else, for a datagram an address
 * translation rewrote between where it was seen and where it was cut (a
 * router's DNAT or masquerade, then a smaller MTU), by protocol and id
 * and, for UDP, its length field, which the translation leaves and the
 * first fragment carries. */
static const struct whole_ref *whole_cut_into(const struct ipft_lineage *l,
					      const struct ipft_packet *p, const uint8_t *ip,
					      size_t len, const uint8_t key[40])
{
	const struct whole_ref *w = &l->wholes[slot_of(key, 40)];
	uint8_t id_key[40];

	if (whole_holds(w, p, ip, key))
		return w;
	if ((ip[0] >> 4) != 4)
		return NULL;
	ip4_untranslated_key(ip, id_key);
	w = &l->wholes_by_id[slot_of(id_key, sizeof(id_key))];
	if (!whole_holds(w, p, ip, id_key) || w->l4_len != ip4_udp_len(ip, len))
		return NULL;
	return w;
}

static void derive_fragment(struct ipft_lineage *l, struct ipft_packet *p, const uint8_t *ip,
			    size_t len)
{
	uint8_t key[40];
	uint32_t off;
	bool more;

	if (!frag_of(ip, len, key, &off, &more))
		return;
	size_t slot = slot_of(key, sizeof(key));
	struct frag_ref *f = &l->frags[slot];
	if (off == 0) { /* the datagram's own skb, its first fragment */
		memcpy(f->key, key, sizeof(key));
		f->packet_id = p->packet_id;
		f->ts = p->wall_ts;
		f->ids[0] = p->packet_id;
		f->n_ids = 1;
		/* ... or a new skb cut from a datagram seen whole before. */
		const struct whole_ref *w = whole_cut_into(l, p, ip, len, key);
		if (w) {
			set_parent(p, w->packet_id, IPFT_LINEAGE_FRAGMENT, 0, true);
			f->packet_id = w->packet_id;
		}
	} else if (f->packet_id && f->packet_id != p->packet_id && !memcmp(f->key, key, 40) &&
		   p->wall_ts - f->ts < FRAG_WINDOW_NS) {
		set_parent(p, f->packet_id, IPFT_LINEAGE_FRAGMENT, off, true);
		if (f->n_ids < IPFT_FRAGMENTS_MAX)
			f->ids[f->n_ids++] = p->packet_id;
	}
}

/* An IPv4 datagram whole and with DF clear: where its fragments would
 * find it (derive_fragment). */
static void whole_put(struct whole_ref *w, const struct ipft_packet *p, const uint8_t *ip,
		      size_t len, const uint8_t key[40])
{
	memcpy(w->key, key, 40);
	w->packet_id = p->packet_id;
	w->ts = p->wall_ts;
	w->tot_len = be16(ip + 2);
	w->l4_len = ip4_udp_len(ip, len);
}

static void note_whole(struct ipft_lineage *l, const struct ipft_packet *p, const uint8_t *ip,
		       size_t len)
{
	uint8_t key[40];

	if ((ip[0] >> 4) != 4 || (be16(ip + 6) & 0x7fff))
		return;
	ip4_datagram_key(ip, key);
	whole_put(&l->wholes[slot_of(key, sizeof(key))], p, ip, len, key);
	ip4_untranslated_key(ip, key);
	whole_put(&l->wholes_by_id[slot_of(key, sizeof(key))], p, ip, len, key);
}

/* The datagram one of whose fragments is packet id; NULL if none. */
static const struct frag_ref *frag_holding(const struct ipft_lineage *l, uint64_t id)
{
	for (size_t i = 0; i < TABLE; i++)
		for (uint32_t k = 0; k < l->frags[i].n_ids; k++)
			if (l->frags[i].ids[k] == id)
				return &l->frags[i];
	return NULL;
}

/* A datagram the kernel reassembled (its parent: the fragment whose skb
 * it was made in) lists the fragments written before it.  IPv4 keeps the
 * datagram's key in its header; IPv6's reassembly removes the fragment
 * header and its id, so the datagram is found by that parent. */
static void list_fragments(struct ipft_lineage *l, struct ipft_packet *p, const uint8_t *ip)
{
	const struct frag_ref *f = NULL;
	uint8_t key[40];

	if ((ip[0] >> 4) == 4) {
		ip4_datagram_key(ip, key);
		f = &l->frags[slot_of(key, sizeof(key))];
		if (memcmp(f->key, key, 40))
			f = NULL;
	} else if ((ip[0] >> 4) == 6) {
		f = frag_holding(l, p->snaps->parent_id);
	}
	if (!f || !f->packet_id || p->wall_ts - f->ts >= FRAG_WINDOW_NS)
		return;
	memcpy(p->snaps->fragments, f->ids, f->n_ids * sizeof(f->ids[0]));
	p->snaps->n_fragments = f->n_ids;
}

/* The packet's last event: when a super-packet ended, its segments begin. */
static uint64_t end_ts(const struct ipft_packet *p)
{
	return p->n_events ? p->events[p->n_events - 1].ts_ns : p->wall_ts;
}

/* Whether p's headers were taken where s's were: at the same attach
 * point on the same device.  A segment is cut after its super-packet
 * passed there whole, so p is a new transmission of that data (TCP
 * sending part of it again, which a capture sees), not a segment. */
static bool taken_where(const struct seg_ref *s, const struct ipft_packet *p)
{
	return p->cap.probe_id == s->probe_id && p->cap.ifindex == s->ifindex &&
	       p->cap.netns == s->netns;
}

static void derive_segment(struct ipft_lineage *l, struct ipft_packet *p, const uint8_t *ip,
			   size_t len)
{
	uint8_t key[36];
	uint32_t seq, dlen;

	if (!tcp_of(ip, len, key, &seq, &dlen))
		return;
	struct seg_ref *s = &l->segs[slot_of(key, sizeof(key))];
	if (s->packet_id && s->packet_id != p->packet_id && !memcmp(s->key, key, 36) &&
	    seq - s->seq < s->end - s->seq && dlen < s->end - s->seq &&
	    seq + dlen - s->seq <= s->end - s->seq && p->wall_ts >= s->end_ts &&
	    p->wall_ts - s->end_ts < SEG_WINDOW_NS && !taken_where(s, p)) {
		if (!s->mss || seq == s->seq)
			s->mss = dlen;
		/* Numbered by where it starts in the super-packet. */
		set_parent(p, s->packet_id, IPFT_LINEAGE_SEGMENT, (seq - s->seq) / s->mss, true);
		return;
	}
	memcpy(s->key, key, sizeof(key));
	s->packet_id = p->packet_id;
	s->seq = seq;
	s->end = seq + dlen;
	s->end_ts = end_ts(p);
	s->mss = 0;
	s->probe_id = p->cap.probe_id;
	s->ifindex = p->cap.ifindex;
	s->netns = p->cap.netns;
}

void ipft_lineage_place(struct ipft_lineage *l, struct ipft_packet *p,
			const struct ipft_probe_set *probes, const struct ipft_clock *clock)
{
	const uint8_t *ip;
	size_t len;

	place_snaps(p, probes, clock);
	if (l && p->captured && (ip = ip_of(&p->cap, &len))) {
		if (p->snaps && p->snaps->kind == IPFT_LINEAGE_REASSEMBLED)
			list_fragments(l, p, ip);
		if (!p->snaps || !p->snaps->parent_id)
			derive_fragment(l, p, ip, len);
		note_whole(l, p, ip, len);
		if (!p->snaps || !p->snaps->parent_id)
			derive_segment(l, p, ip, len);
	}
}
