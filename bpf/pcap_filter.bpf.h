/* pcap_filter.bpf.h - where a pcap-filter expression runs in the kernel.
 *
 * For an skb not tracked yet, ipft_pcap_filter() copies the packet's first
 * bytes into a per-CPU buffer, from the MAC header when it is valid (the
 * expression's L2 variant runs) or else from the network header (the L3
 * variant runs), and calls the variant.  Three subprograms are stubs that
 * the tracer (tracer/filter/filter.c) rewrites in every program it loads:
 *   ipft_pcap_run_l2/l3  become calls to the translated expressions
 *                        appended at the end of the program
 *                        (tracer/filter/cbpf_xlat.c); unrewritten they return
 *                        their marker, a match;
 *   ipft_pcap_info       becomes "return how many bytes the expressions
 *                        can load, and whether they read the wire length"
 *                        (IPFT_PCAP_INFO_*), so a hit copies no more than
 *                        that.
 * Each stub is a marker constant (IPFT_MARK_PCAP_*, bpf/ipft_shared.h)
 * loaded into r0, then exit.
 * cfg.pcap_filter guards the call, so without an expression none of this
 * runs (the verifier drops it).
 *
 * This runs at every attach point an untracked skb passes, so it reads a
 * typed skb's fields with plain loads and an untyped one's in one go
 * (skb_window.bpf.h).  Included by skb_event.bpf.h after skb_dev().
 */
#ifndef IPFT_PCAP_FILTER_BPF_H
#define IPFT_PCAP_FILTER_BPF_H

#include "skb_window.bpf.h"

/* r1 = bytes, r2 = captured length, r3 = wire length -> r0 = verdict. */
static __attribute__((noinline)) int ipft_pcap_run_l2(void *buf, __u32 caplen, __u32 wirelen)
{
	__u64 v;

	asm volatile("%0 = " IPFT_STRINGIFY(IPFT_MARK_PCAP_L2) " ll"
		     : "=r"(v) : "r"(buf), "r"(caplen), "r"(wirelen));
	return (int)v;
}

static __attribute__((noinline)) int ipft_pcap_run_l3(void *buf, __u32 caplen, __u32 wirelen)
{
	__u64 v;

	asm volatile("%0 = " IPFT_STRINGIFY(IPFT_MARK_PCAP_L3) " ll"
		     : "=r"(v) : "r"(buf), "r"(caplen), "r"(wirelen));
	return (int)v;
}

static __attribute__((noinline)) int ipft_pcap_info(void)
{
	__u64 v;

	asm volatile("%0 = " IPFT_STRINGIFY(IPFT_MARK_PCAP_INFO) " ll" : "=r"(v));
	return (int)v;
}

/* The sk_buff fields the filter needs. */
struct ipft_pcap_skb {
	struct net_device *dev;
	unsigned char *head, *data;
	__u32 len, tail;
	__u16 mac, net;
	__u32 gen;            /* the scratch's gen when this use began */
};

static __always_inline bool ipft_pcap_read_skb(struct sk_buff *skb, bool typed,
					       struct ipft_skb_scratch *s, struct ipft_pcap_skb *v)
{
	if (typed) {
		v->dev = skb_dev(skb, true);
		v->head = skb->head;
		v->data = skb->data;
		v->len = skb->len;
		v->tail = skb->tail;
		v->mac = skb->mac_header;
		v->net = skb->network_header;
		return true;
	}
	/* CO-RE constants: the verifier sees which branch is taken. */
	if (IPFT_SKB_WINDOW_FITS && SKB_IN_WINDOW(head) && SKB_IN_WINDOW(len) &&
	    SKB_IN_WINDOW(tail) && SKB_IN_WINDOW(mac_header) && SKB_IN_WINDOW(network_header)) {
		if (!ipft_skb_window_read(s->skb, skb))
			return false;
		v->dev = ipft_kernel_dev(SKB_AT(s->skb, dev));
		v->head = SKB_AT(s->skb, head);
		v->data = SKB_AT(s->skb, data);
		v->len = SKB_AT(s->skb, len);
		v->tail = SKB_AT(s->skb, tail);
		v->mac = SKB_AT(s->skb, mac_header);
		v->net = SKB_AT(s->skb, network_header);
		return true;
	}
	v->dev = ipft_kernel_dev(BPF_CORE_READ(skb, dev));
	v->head = BPF_CORE_READ(skb, head);
	v->data = BPF_CORE_READ(skb, data);
	v->len = BPF_CORE_READ(skb, len);
	v->tail = BPF_CORE_READ(skb, tail);
	v->mac = BPF_CORE_READ(skb, mac_header);
	v->net = BPF_CORE_READ(skb, network_header);
	return true;
}

static __always_inline bool ipft_pcap_filter(struct sk_buff *skb, bool typed)
{
	struct ipft_skb_scratch *s;
	struct ipft_pcap_skb v;
	__u32 info, caplen, wire = 0;
	__s64 avail;
	__u16 start;
	bool l2 = false;

	/* A nested hit may refill the scratch before the verdict: one
	 * that did makes it no match (judged again at the next hit). */
	s = ipft_scratch_begin(&v.gen);
	if (!s)
		return false;
	if (!ipft_pcap_read_skb(skb, typed, s, &v))
		return false;
	if (ipft_eth_shaped(v.mac, v.net) && v.dev) {
		struct net_device *dev = v.dev; /* not v.dev inside the CO-RE read */
		__u16 dev_type = typed ? dev->type : BPF_CORE_READ(dev, type);
		l2 = dev_type == ARPHRD_ETHER || dev_type == ARPHRD_LOOPBACK;
	}
	if (l2)
		start = v.mac;
	else if (v.net != SKB_HEADER_UNSET)
		start = v.net;
	else
		return false; /* no header to judge yet */
	/* tail is an offset from head on 64-bit kernels (sk_buff_data_t). */
	avail = (__s64)v.tail - start;
	if (avail <= 0)
		return false;
	info = ipft_pcap_info();
	caplen = info & IPFT_PCAP_INFO_BYTES;
	if (caplen > avail)
		caplen = avail;
	if (caplen && bpf_probe_read_kernel(s->b, ipft_bound(caplen, IPFT_PCAP_BUF), v.head + start) < 0)
		return false;
	if (info & IPFT_PCAP_INFO_WIRELEN) {
		__s64 w = (__s64)v.len + (v.data - v.head) - start;
		if (w <= 0)
			return false;
		wire = (__u32)w;
	}
	if (!(l2 ? ipft_pcap_run_l2(s->b, caplen, wire) : ipft_pcap_run_l3(s->b, caplen, wire)))
		return false;
	return ipft_scratch_kept(v.gen);
}

#endif
