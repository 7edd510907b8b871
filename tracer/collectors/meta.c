/* meta.c - the meta collector, the tracer's side (meta.bpf.h is the
 * kernel's, meta_slot.h their record): what the skb was at each event,
 * as key/values where a value changed since the packet's previous event
 * (all of them on its first).
 *
 * Keys and types: dev (string), ifindex, netns, len, data_len (U64),
 * mark, protocol (HEX64), pkt_type (string: host, otherhost, ...), cloned
 * (U64, 0 or 1), gso_size, gso_segs (U64), gso_type (string: the
 * kernel's SKB_GSO_* names, lowercase, joined by '|'; "none" for 0).
 */
#include "tracer/collectors/collectors.h"
#include "tracer/kernel/vmlinux_btf.h"

#include <bpf/btf.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GSO_PREFIX "SKB_GSO_"
#define GSO_BITS 32

/* The skb's values as the packet's events have said them so far, and
 * the packet's first capture (NULL: none arrived). */
struct meta_state {
	bool dev_known, len_known, skb_known;
	struct ipft_meta_dev dev;
	uint32_t len, data_len;
	struct ipft_meta_skb skb;
	const struct ipft_capture *capture;
};

/* Names of the SKB_GSO_* bits, from the kernel's BTF (they vary). */
struct gso_names {
	char name[GSO_BITS][24];
};

static void *load_gso_names(const struct ipft_collect_env *env)
{
	struct btf *btf = ipft_vmlinux_btf_get();
	struct gso_names *g;

	(void)env;
	if (!btf)
		return NULL;
	if (!(g = calloc(1, sizeof(*g)))) {
		ipft_vmlinux_btf_put(btf);
		return NULL;
	}
	for (unsigned id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e = btf_is_enum(t) ? btf_enum(t) : NULL;

		for (int i = 0; e && i < btf_vlen(t); i++) {
			const char *n = btf__name_by_offset(btf, e[i].name_off);
			uint32_t v = (uint32_t)e[i].val;

			if (strncmp(n, GSO_PREFIX, strlen(GSO_PREFIX)) || !v || (v & (v - 1)))
				continue;
			n += strlen(GSO_PREFIX);
			for (size_t j = 0; n[j] && j + 1 < sizeof(g->name[0]); j++)
				g->name[__builtin_ctz(v)][j] = (char)tolower((unsigned char)n[j]);
		}
	}
	ipft_vmlinux_btf_put(btf);
	return g;
}

/* "tcpv4|dodgy", unknown bits as 0x...; "none" for 0. */
static void gso_type_str(const struct gso_names *g, uint32_t v, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	if (!v)
		snprintf(buf, len, "none");
	for (unsigned b = 0; b < GSO_BITS && n < len; b++) {
		if (!(v & (1u << b)))
			continue;
		if (g && g->name[b][0])
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", g->name[b]);
		else
			n += (size_t)snprintf(buf + n, len - n, "%s0x%x", n ? "|" : "", 1u << b);
	}
}

static const char *pkt_type_name(uint8_t t)
{
	static const char *const names[] = { "host", "broadcast", "multicast", "otherhost",
					     "outgoing", "loopback", "user", "kernel" };
	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

/* Each value goes out when it differs from what the packet said last
 * (known: it said something). */
#define CHANGED(known, old, new) (!(known) || (old) != (new))

static void dev_event(struct meta_state *s, const struct ipft_meta_dev *d, struct ipft_kv_out *o)
{
	if (!s->dev_known || strncmp(s->dev.ifname, d->ifname, sizeof(d->ifname)))
		ipft_kv_add_packed_str(o, IPFT_PK_DEV, d->ifname, sizeof(d->ifname));
	if (CHANGED(s->dev_known, s->dev.ifindex, d->ifindex))
		ipft_kv_add_packed_u64(o, IPFT_PK_IFINDEX, IPFT_VT_U64, d->ifindex);
	if (CHANGED(s->dev_known, s->dev.netns, d->netns))
		ipft_kv_add_packed_u64(o, IPFT_PK_NETNS, IPFT_VT_U64, d->netns);
	s->dev = *d;
	s->dev_known = true;
}

static void len_event(struct meta_state *s, const struct ipft_slot *hit, struct ipft_kv_out *o)
{
	if (CHANGED(s->len_known, s->len, hit->skb.len))
		ipft_kv_add_packed_u64(o, IPFT_PK_LEN, IPFT_VT_U64, hit->skb.len);
	if (CHANGED(s->len_known, s->data_len, hit->skb.data_len))
		ipft_kv_add_packed_u64(o, IPFT_PK_DATA_LEN, IPFT_VT_U64, hit->skb.data_len);
	s->len = hit->skb.len;
	s->data_len = hit->skb.data_len;
	s->len_known = true;
}

static void skb_event(struct meta_state *s, const struct gso_names *g,
		      const struct ipft_meta_skb *m, struct ipft_kv_out *o)
{
	const struct ipft_meta_skb *p = &s->skb;
	bool k = s->skb_known;
	char gso[256];

	if (CHANGED(k, p->mark, m->mark))
		ipft_kv_add_packed_u64(o, IPFT_PK_MARK, IPFT_VT_HEX64, m->mark);
	if (CHANGED(k, p->protocol, m->protocol))
		ipft_kv_add_packed_u64(o, IPFT_PK_PROTOCOL, IPFT_VT_HEX64, __builtin_bswap16(m->protocol));
	if (CHANGED(k, p->pkt_type, m->pkt_type))
		ipft_kv_add_packed_str(o, IPFT_PK_PKT_TYPE, pkt_type_name(m->pkt_type), 16);
	if (CHANGED(k, p->cloned, m->cloned))
		ipft_kv_add_packed_u64(o, IPFT_PK_CLONED, IPFT_VT_U64, m->cloned);
	if (CHANGED(k, p->gso_size, m->gso_size))
		ipft_kv_add_packed_u64(o, IPFT_PK_GSO_SIZE, IPFT_VT_U64, m->gso_size);
	if (CHANGED(k, p->gso_segs, m->gso_segs))
		ipft_kv_add_packed_u64(o, IPFT_PK_GSO_SEGS, IPFT_VT_U64, m->gso_segs);
	if (CHANGED(k, p->gso_type, m->gso_type)) {
		/* Most packets have no GSO: "none" without formatting it. */
		if (m->gso_type)
			gso_type_str(g, m->gso_type, gso, sizeof(gso));
		ipft_kv_add_packed_str(o, IPFT_PK_GSO_TYPE, m->gso_type ? gso : "none", sizeof(gso));
	}
	s->skb = *m;
	s->skb_known = true;
}

/* The device as the packet's first capture holds it, for a hit whose skb
 * slot says it went out there (IPFT_META_SKB_DEV_IN_CAPTURE); false when
 * that capture never arrived (its device is then not said). */
static bool dev_of_capture(const struct meta_state *s, struct ipft_meta_dev *d)
{
	if (!s->capture)
		return false;
	memset(d, 0, sizeof(*d));
	memcpy(d->ifname, s->capture->ifname, sizeof(d->ifname));
	d->ifindex = s->capture->ifindex;
	d->netns = s->capture->netns;
	d->kind = IPFT_DATA_META_DEV;
	return true;
}

static void meta_begin(void *state, const void *loaded, const struct ipft_collect_packet *pk)
{
	struct meta_state *s = state;

	(void)loaded;
	s->capture = pk->capture;
}

/* A return has no meta: the skb may be freed by then. */
static void meta_event(void *state, const void *loaded, const struct ipft_slot *hit,
		       const struct ipft_slot *data, size_t n_data, struct ipft_kv_out *o)
{
	struct meta_state *s = state;
	const struct ipft_meta_dev *dev = NULL;
	const struct ipft_meta_skb *skb = NULL;
	struct ipft_meta_dev captured;

	if (hit->kind == IPFT_HIT_RETURN)
		return;
	for (size_t i = 0; i < n_data; i++) {
		if (data[i].kind == IPFT_DATA_META_DEV)
			dev = (const struct ipft_meta_dev *)&data[i];
		else if (data[i].kind == IPFT_DATA_META_SKB)
			skb = (const struct ipft_meta_skb *)&data[i];
	}
	if (!dev && skb && (skb->aux & IPFT_META_SKB_DEV_IN_CAPTURE) &&
	    dev_of_capture(s, &captured))
		dev = &captured;
	if (dev)
		dev_event(s, dev, o);
	len_event(s, hit, o);
	if (skb)
		skb_event(s, loaded, skb, o);
}

const struct ipft_collector ipft_collector_meta = {
	.bit = IPFT_COLLECT_META,
	.state_size = sizeof(struct meta_state),
	.load = load_gso_names,
	.unload = free,
	.begin = meta_begin,
	.event = meta_event,
};

_Static_assert(sizeof(struct ipft_meta_dev) == sizeof(struct ipft_slot), "slot size");
_Static_assert(sizeof(struct ipft_meta_skb) == sizeof(struct ipft_slot), "slot size");
_Static_assert(offsetof(struct ipft_meta_dev, kind) == offsetof(struct ipft_slot, kind), "kind");
_Static_assert(offsetof(struct ipft_meta_skb, kind) == offsetof(struct ipft_slot, kind), "kind");
_Static_assert(sizeof(((struct ipft_meta_prev *)0)->skb) == offsetof(struct ipft_meta_skb, pad),
	       "the compared words are the values");
