/* lineage.bpf.h - one packet across the changes of its skb.
 *
 * Tracepoints do not see every free, so an skb address that comes back
 * where packets start may hold a new packet (bpf/skb_event.bpf.h,
 * current_entry()).  The sign used to be a received skb with no input
 * interface: allocation zeroes skb_iif.  But skb_scrub_packet() zeroes it
 * too, on the same skb: a veth crossing into another namespace
 * (__dev_forward_skb), a tunnel's encapsulation and decapsulation.  A
 * datagram forwarded by a router namespace was cut in two at the second
 * veth.  ipft_lineage_same_skb() tells those apart:
 *
 * - inside a driver's transmit (net_dev_start_xmit seen, net_dev_xmit not
 *   yet) the skb is being handed on (veth_xmit's netif_rx, a tunnel's
 *   ip_local_out): the same packet;
 * - at a receive entry, after a driver took it, with the same data buffer
 *   (skb->head): the same skb out of the driver's queue (veth with NAPI);
 * - at a receive entry, after the stack took it, with the same data buffer
 *   and the data further in: decapsulated (the outer headers pulled) and
 *   received again (gro_cells, netif_rx).
 *
 * A new skb at a reused address has had its data buffer freed and
 * allocated again: its data starts where an allocation starts, never
 * further in than where the old packet's stack entry saw it.
 *
 * Included by bpf/skb_event.bpf.h after SKB_READ.
 */
#ifndef IPFT_LINEAGE_BPF_H
#define IPFT_LINEAGE_BPF_H

/* Where the skb is, at a hit of a tracked packet (any attach point; only
 * the roles above read the skb). */
static __always_inline void ipft_lineage_hit(struct ipft_live *t, struct sk_buff *skb,
					     __u32 role, bool typed)
{
	struct ipft_lineage_state *l = &t->lin;

	if (role & IPFT_ROLE_XMIT) {
		l->in_driver = 1;
		l->handed = 1;
		l->head = (__u64)SKB_READ(typed, skb, head);
	} else if (role & IPFT_ROLE_XMIT_DONE) {
		l->in_driver = 0;
	} else if (role & IPFT_ROLE_RX_CORE) {
		unsigned char *head = SKB_READ(typed, skb, head);

		l->head = (__u64)head;
		l->data_off = (__u32)(SKB_READ(typed, skb, data) - head);
	}
	if ((role & (IPFT_ROLE_START | IPFT_ROLE_RX)) == (IPFT_ROLE_START | IPFT_ROLE_RX))
		l->handed = 0;
}

/* At a START attach point, for a received skb whose input interface is
 * cleared: whether it is still the traced packet (see above). */
static __always_inline bool ipft_lineage_same_skb(const struct ipft_live *t, struct sk_buff *skb,
						  __u32 role, bool typed)
{
	const struct ipft_lineage_state *l = &t->lin;
	unsigned char *head;

	if (l->in_driver)
		return true;
	if (!(role & IPFT_ROLE_RX))
		return false;
	head = SKB_READ(typed, skb, head);
	if ((__u64)head != l->head)
		return false;
	return l->handed || (__u32)(SKB_READ(typed, skb, data) - head) > l->data_off;
}

#endif
