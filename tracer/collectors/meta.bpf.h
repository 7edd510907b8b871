/* meta.bpf.h - the meta collector's BPF side (-x meta): what the skb is
 * at each hit, sent as meta_slot.h says (lengths in the hit slot, the
 * rest in data slots where it changed).  The tracer's side is meta.c.
 */
#ifndef IPFT_META_BPF_H
#define IPFT_META_BPF_H

#include "tracer/collectors/meta_slot.h"

/* Data slots a hit adds at most: the device and the skb's. */
#define IPFT_META_SLOTS_MAX 2

/* A bit field, in place when the skb is typed (tp_btf, fentry). */
#define SKB_BITS(typed, skb, field) \
	((typed) ? BPF_CORE_READ_BITFIELD(skb, field) : BPF_CORE_READ_BITFIELD_PROBED(skb, field))

/* What meta reads of the sk_buff at a hit: the lengths go to the hit
 * slot and the rest to m; these tell where the device and the shared
 * info are. */
struct meta_at {
	struct net_device *dev;
	unsigned char *head;
	__u64 end;
};

#define META_IN_WINDOW \
	(IPFT_SKB_WINDOW_FITS && SKB_IN_WINDOW(len) && SKB_IN_WINDOW(data_len) && \
	 SKB_IN_WINDOW(mark) && SKB_IN_WINDOW(protocol) && SKB_IN_WINDOW(pkt_type) && \
	 SKB_IN_WINDOW(cloned) && SKB_IN_WINDOW(head) && SKB_IN_WINDOW(end))

/* An untyped skb's fields from one copy of its window (skb_window.bpf.h),
 * where they fit in it: one helper call instead of nine.  false: read
 * them one by one (also when a nested hit took the scratch meanwhile). */
static __always_inline bool meta_read_window(struct sk_buff *skb, struct ipft_slot *hit,
					     struct ipft_meta_skb *m, struct meta_at *at)
{
	struct ipft_skb_scratch *s;
	__u32 gen;

	if (!META_IN_WINDOW)
		return false;
	s = ipft_scratch_begin(&gen);
	if (!s)
		return false;
	if (!ipft_skb_window_read(s->skb, skb))
		return false;
	hit->skb.len = SKB_AT(s->skb, len);
	hit->skb.data_len = SKB_AT(s->skb, data_len);
	m->mark = SKB_AT(s->skb, mark);
	m->protocol = SKB_AT(s->skb, protocol);
	m->pkt_type = SKB_BITS_AT(s->skb, pkt_type);
	m->cloned = SKB_BITS_AT(s->skb, cloned);
	at->dev = ipft_kernel_dev(SKB_AT(s->skb, dev));
	at->head = SKB_AT(s->skb, head);
	at->end = SKB_AT(s->skb, end);
	return s->gen == gen;
}

static __always_inline void meta_read(struct sk_buff *skb, bool typed, struct ipft_slot *hit,
				      struct ipft_meta_skb *m, struct meta_at *at)
{
	if (!typed && meta_read_window(skb, hit, m, at))
		return;
	hit->skb.len = SKB_READ(typed, skb, len);
	hit->skb.data_len = SKB_READ(typed, skb, data_len);
	m->mark = SKB_READ(typed, skb, mark);
	m->protocol = SKB_READ(typed, skb, protocol);
	m->pkt_type = SKB_BITS(typed, skb, pkt_type);
	m->cloned = SKB_BITS(typed, skb, cloned);
	at->dev = skb_dev(skb, typed);
	at->head = SKB_READ(typed, skb, head);
	at->end = SKB_READ(typed, skb, end);
}

/* The gso fields, in the shared info after the data; gso_type means
 * something only with a gso_size.  cast: plain loads through a cast
 * pointer.  Else helper calls (to the verifier even a typed skb's head is
 * a number): gso_size and gso_segs are neighbours in every kernel, read
 * as one word (x86-64 is little endian). */
static __always_inline void meta_gso(const struct meta_at *at, struct ipft_meta_skb *m, bool cast)
{
	struct skb_shared_info *sh = (void *)(at->head + at->end);
	__u32 size_segs = 0, type = 0;

	if (cast) {
		sh = ipft_rdonly_cast(sh, bpf_core_type_id_kernel(struct skb_shared_info));
		m->gso_size = sh->gso_size;
		m->gso_segs = sh->gso_segs;
		m->gso_type = m->gso_size ? sh->gso_type : 0;
		return;
	}
	bpf_core_read(&size_segs, sizeof(size_segs), &sh->gso_size);
	m->gso_size = (__u16)size_segs;
	m->gso_segs = (__u16)(size_segs >> 16);
	if (m->gso_size)
		bpf_core_read(&type, sizeof(type), &sh->gso_type);
	m->gso_type = type;
}

/* The device, when it is another than at the packet's last hit, and
 * not gone: a hit whose skb has no device (NULL, or UDP's dev_scratch in
 * a socket's queue) keeps the last one, at no slot's cost (docs/design.md,
 * "Collectors").  in_capture: the packet's first capture went out at this
 * hit, with this device; on the packet's first hit the skb slot then says
 * so instead of a device slot.  Whether it does. */
static __always_inline bool meta_dev(struct ipft_live *t, struct sk_buff *skb, bool typed,
				     struct net_device *dev, bool in_capture)
{
	struct ipft_meta_dev *d;

	if (t->prev.meta.valid && (t->prev.meta.dev == (__u64)dev || !dev))
		return false;
	t->prev.meta.dev = (__u64)dev;
	if (in_capture && !t->prev.meta.valid)
		return true;
	d = (struct ipft_meta_dev *)ipft_data_slot(t, IPFT_DATA_META_DEV);
	d->netns = netns_at(skb, dev, typed);
	if (typed) {
		/* Plain loads: a packet's device changes at two or three of
		 * its hits, and two helper calls there cost more than all
		 * the rest of -x meta. */
		d->ifindex = dev ? dev->ifindex : 0;
		if (dev)
			__builtin_memcpy(d->ifname, dev->name, sizeof(d->ifname));
		else
			d->ifname[0] = 0;
		return false;
	}
	d->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
	if (!dev || bpf_probe_read_kernel_str(d->ifname, sizeof(d->ifname), dev->name) < 0)
		d->ifname[0] = 0;
	return false;
}

/* Mark, protocol, packet type, clone and gso (m), when any differs (and
 * at a packet's first hit, with aux: IPFT_META_SKB_*). */
static __always_inline void meta_skb(struct ipft_live *t, const struct ipft_meta_skb *m, __u8 aux)
{
	const __u64 *w = (const __u64 *)m;
	__u64 *d;

	if (t->prev.meta.valid && w[0] == t->prev.meta.skb[0] && w[1] == t->prev.meta.skb[1])
		return;
	t->prev.meta.skb[0] = w[0];
	t->prev.meta.skb[1] = w[1];
	d = (__u64 *)ipft_data_slot(t, IPFT_DATA_META_SKB);
	((struct ipft_meta_skb *)d)->aux = aux;
	d[0] = w[0];
	d[1] = w[1];
}

/* captured: the packet's first capture went out at this hit. */
static __always_inline void ipft_meta_hit(struct ipft_live *t, struct ipft_slot *hit,
					  struct sk_buff *skb, bool typed, bool cast, bool captured)
{
	struct ipft_meta_skb m = {};
	struct meta_at at;
	bool in_capture;

	meta_read(skb, typed, hit, &m, &at);
	meta_gso(&at, &m, cast);
	in_capture = meta_dev(t, skb, typed, at.dev, captured);
	meta_skb(t, &m, in_capture ? IPFT_META_SKB_DEV_IN_CAPTURE : 0);
	t->prev.meta.valid = 1;
}

#endif
