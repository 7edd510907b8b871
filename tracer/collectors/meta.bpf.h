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

/* The gso fields, in the shared info after the data: gso_size and
 * gso_segs are neighbours in every kernel, read as one word (x86-64 is
 * little endian); gso_type means something only with a gso_size. */
static __always_inline void meta_gso(struct sk_buff *skb, bool typed, struct ipft_meta_skb *m)
{
	struct skb_shared_info *sh =
		(void *)(SKB_READ(typed, skb, head) + SKB_READ(typed, skb, end));
	__u32 size_segs = 0, type = 0;

	bpf_core_read(&size_segs, sizeof(size_segs), &sh->gso_size);
	m->gso_size = (__u16)size_segs;
	m->gso_segs = (__u16)(size_segs >> 16);
	if (m->gso_size)
		bpf_core_read(&type, sizeof(type), &sh->gso_type);
	m->gso_type = type;
}

/* The device, when it is another than at the packet's last hit. */
static __always_inline void meta_dev(struct ipft_live *t, struct sk_buff *skb, bool typed)
{
	struct net_device *dev = skb_dev(skb, typed);
	struct ipft_meta_dev *d;

	if (t->prev.meta.valid && t->prev.meta.dev == (__u64)dev)
		return;
	t->prev.meta.dev = (__u64)dev;
	d = (struct ipft_meta_dev *)ipft_data_slot(t, IPFT_DATA_META_DEV);
	d->netns = netns_of(skb, typed);
	if (typed) {
		/* Plain loads: a packet's device changes at two or three of
		 * its hits, and two helper calls there cost more than all
		 * the rest of -x meta. */
		d->ifindex = dev ? dev->ifindex : 0;
		if (dev)
			__builtin_memcpy(d->ifname, dev->name, sizeof(d->ifname));
		else
			d->ifname[0] = 0;
		return;
	}
	d->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
	if (!dev || bpf_probe_read_kernel_str(d->ifname, sizeof(d->ifname), dev->name) < 0)
		d->ifname[0] = 0;
}

/* Mark, protocol, packet type, clone and gso, when any differs. */
static __always_inline void meta_skb(struct ipft_live *t, struct sk_buff *skb, bool typed)
{
	struct ipft_meta_skb m = {};
	__u64 *w = (__u64 *)&m, *d;

	m.mark = SKB_READ(typed, skb, mark);
	m.protocol = SKB_READ(typed, skb, protocol);
	m.pkt_type = SKB_BITS(typed, skb, pkt_type);
	m.cloned = SKB_BITS(typed, skb, cloned);
	meta_gso(skb, typed, &m);
	if (t->prev.meta.valid && w[0] == t->prev.meta.skb[0] && w[1] == t->prev.meta.skb[1])
		return;
	t->prev.meta.skb[0] = w[0];
	t->prev.meta.skb[1] = w[1];
	d = (__u64 *)ipft_data_slot(t, IPFT_DATA_META_SKB);
	d[0] = w[0];
	d[1] = w[1];
}

static __always_inline void ipft_meta_hit(struct ipft_live *t, struct ipft_slot *hit,
					  struct sk_buff *skb, bool typed)
{
	hit->skb.len = SKB_READ(typed, skb, len);
	hit->skb.data_len = SKB_READ(typed, skb, data_len);
	meta_dev(t, skb, typed);
	meta_skb(t, skb, typed);
	t->prev.meta.valid = 1;
}

#endif
