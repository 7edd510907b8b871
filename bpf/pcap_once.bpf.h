/* pcap_once.bpf.h - a pcap-filter expression decided once per packet.
 *
 * An skb the expression refuses is not tracked, so every later attach
 * point it passes would copy its headers and run the expression again (a
 * UDP datagram over veth passes 6 to 9 of them).  The refusal is noted
 * per CPU in a direct-mapped table by the skb's address and its data
 * buffer (skb->head), with where the skb stands, and used again only where
 * that skb cannot have become another packet (a free we did not see, the
 * address and the buffer allocated again), by the same signs that tell a
 * tracked packet from a new one (skb_event.bpf.h current_entry(),
 * lineage.bpf.h):
 *   - at a free the expression runs again and the note goes: the address
 *     is free after it;
 *   - at net_dev_queue it runs again: a new packet starts there, and a
 *     forwarded one shows its headers as translation, encapsulation or
 *     forwarding left them (where lineage.bpf.h compares them too);
 *   - at a receive entry it runs again unless a driver is handing the skb
 *     on (between net_dev_start_xmit and net_dev_xmit: veth), which
 *     changes no header (after a decapsulation it runs);
 *   - at net_dev_start_xmit it runs again unless the skb was queued since
 *     it was last received (else a GSO segment: a new skb);
 *   - elsewhere the note holds: a header rewritten between two such points
 *     (a translation on local delivery) is judged at the next one, or at
 *     the free.
 * A packet the expression accepts is tracked; its note goes.  Another CPU
 * has no note (the expression runs there): the per-CPU table needs no lock.
 *
 * Included by bpf/skb_event.bpf.h after count(), SKB_READ and struct
 * ipft_hit_args.
 */
#ifndef IPFT_PCAP_ONCE_BPF_H
#define IPFT_PCAP_ONCE_BPF_H

#define IPFT_PCAP_NOTES 256 /* per CPU, a power of two */

struct ipft_pcap_note {
	__u64 skb;            /* 0: none */
	__u64 head;
	__u8 queued;          /* passed net_dev_queue since it was last received */
	__u8 in_driver;       /* net_dev_start_xmit seen, net_dev_xmit not yet */
	__u8 pad[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct ipft_pcap_note);
	__uint(max_entries, IPFT_PCAP_NOTES);
} pcap_notes SEC(".maps");

/* Whether the note n (this skb's) still speaks for the packet here. */
static __always_inline bool ipft_pcap_note_holds(const struct ipft_pcap_note *n, __u32 role)
{
	if ((role & (IPFT_ROLE_START | IPFT_ROLE_RX)) == IPFT_ROLE_START)
		return false;
	if (role & IPFT_ROLE_START)
		return n->in_driver;
	if (role & IPFT_ROLE_XMIT)
		return n->queued;
	return true;
}

/* Where the skb is now, noted for its next hit. */
static __always_inline void ipft_pcap_note_move(struct ipft_pcap_note *n, __u32 role)
{
	if (role & IPFT_ROLE_RX)
		n->queued = 0;
	else if (role & IPFT_ROLE_START)
		n->queued = 1;
	if (role & IPFT_ROLE_XMIT)
		n->in_driver = 1;
	else if (role & IPFT_ROLE_XMIT_DONE)
		n->in_driver = 0;
}

/* The expression's verdict on an untracked skb, run at most once per
 * packet where the note holds. */
static __always_inline bool ipft_pcap_filter_once(struct sk_buff *skb, bool typed, __u32 role,
						  const struct ipft_hit_args *a)
{
	__u64 key = (__u64)skb, head = (__u64)SKB_READ(typed, skb, head);
	__u32 i = (__u32)((key >> 8) ^ (key >> 20)) & (IPFT_PCAP_NOTES - 1);
	struct ipft_pcap_note *n = bpf_map_lookup_elem(&pcap_notes, &i);
	bool free = a->flags & IPFT_HIT_FREE, judged = false, match;

	if (n && !free && n->skb == key && n->head == head &&
	    ipft_pcap_note_holds(n, role)) {
		ipft_pcap_note_move(n, role);
		return false;
	}
	match = ipft_pcap_filter(skb, &judged);
	if (judged)
		count(IPFT_STAT_PCAP_RUNS);
	if (match) {
		if (n && n->skb == key)
			n->skb = 0;
		return true;
	}
	/* No header to judge yet: the expression runs again at the next hit. */
	if (n && judged) {
		n->skb = free ? 0 : key;
		n->head = head;
		n->queued = n->in_driver = 0;
		ipft_pcap_note_move(n, role);
	}
	return false;
}

#endif
