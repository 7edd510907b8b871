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
 * Included by bpf/skb_event.bpf.h after SKB_READ, send_capture() and
 * struct ipft_hit_args.
 */
#ifndef IPFT_LINEAGE_BPF_H
#define IPFT_LINEAGE_BPF_H

/* ---- clones ----------------------------------------------------------- */

/* A clone shares its parent's data buffer.  A tap (tcpdump's AF_PACKET
 * socket) clones a packet on its way out, in dev_queue_xmit_nit between
 * net_dev_queue and net_dev_start_xmit, copies the clone to its ring and
 * frees it: the clone's free is the only attach point it passes.  (On the
 * way in a tap takes a reference, no clone.)  So a traced packet's buffer
 * is noted where it is queued to a device, in a direct-mapped table (an
 * array: a lookup the verifier inlines, no lock), until the driver takes
 * it; a cloned skb that no entry tracks and whose buffer is noted there,
 * of a packet still tracked, is that packet's clone: at its free (a trace
 * of one event, its headers captured), or wherever it enters the trace.
 * Buffers are freed and allocated again, so a note lasts no longer. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct ipft_head_ref);
	__uint(max_entries, IPFT_HEADS);
} lineage_heads SEC(".maps");

static __always_inline struct ipft_head_ref *ipft_head_slot(__u64 head)
{
	__u32 i = (__u32)((head >> 6) ^ (head >> 18)) & (IPFT_HEADS - 1);

	return bpf_map_lookup_elem(&lineage_heads, &i);
}

/* Where a packet is queued (set) and where the driver takes it (clear). */
static __always_inline void ipft_note_head(__u64 head, const struct ipft_live *t, __u64 skb,
					   bool set)
{
	struct ipft_head_ref *r = ipft_head_slot(head);

	if (!r)
		return;
	if (set) {
		r->head = head;
		r->packet_id = t->packet_id;
		r->skb = skb;
	} else if (r->head == head && r->packet_id == t->packet_id) {
		r->head = 0;
	}
}

/* The traced packet whose buffer a cloned skb shares; 0 if none. */
static __always_inline __u64 ipft_clone_parent(struct sk_buff *skb, bool typed)
{
	struct ipft_head_ref *r;
	struct ipft_live *p;
	__u64 head;

	if (!(typed ? BPF_CORE_READ_BITFIELD(skb, cloned) : BPF_CORE_READ_BITFIELD_PROBED(skb, cloned)))
		return 0;
	/* A number, not the typed pointer the verifier would not hash. */
	if (bpf_probe_read_kernel(&head, sizeof(head), &skb->head) < 0)
		return 0;
	r = ipft_head_slot(head);
	if (!r || !head || r->head != head || r->skb == (__u64)skb)
		return 0;
	p = bpf_map_lookup_elem(&live, &r->skb);
	return p && p->packet_id == r->packet_id ? r->packet_id : 0;
}

/* An untracked skb at a free may still enter the trace: a clone of a
 * traced packet (its one hit). */
static __always_inline bool ipft_clone_at_free(struct sk_buff *skb, __u8 kind, __u16 flags,
					       bool typed)
{
	return (flags & IPFT_HIT_FREE) && kind == IPFT_HIT_TRACEPOINT && ipft_clone_parent(skb, typed);
}

/* Says that the new packet t was derived from parent. */
static __always_inline void ipft_lineage_link(struct ipft_live *t, __u64 parent, __u32 kind,
					       __u32 index)
{
	struct ipft_lineage_rec r = { .type = IPFT_REC_LINEAGE, .kind = kind,
				      .packet_id = t->packet_id, .first_ts = t->first_ts,
				      .parent_id = parent, .index = index };

	if (bpf_ringbuf_output(&events, &r, sizeof(r), wakeup_flag(sizeof(r) + 8, false)) < 0)
		t->lost = 1;
}

/* A packet that entered the trace now: a clone says whose.  Not where
 * packets start: a new transmission is often a clone too (TCP sends clones
 * of its queue). */
static __always_inline void ipft_lineage_start(struct ipft_live *t, struct sk_buff *skb,
					       __u32 role, bool typed)
{
	__u64 parent;

	if (role & IPFT_ROLE_START)
		return;
	parent = ipft_clone_parent(skb, typed);
	if (parent && parent != t->packet_id)
		ipft_lineage_link(t, parent, IPFT_LINEAGE_CLONE, 0);
}

/* Where the skb is, at a hit of a tracked packet (any attach point; only
 * the roles above read the skb).  From net_dev_queue to the driver its
 * buffer is noted for clones. */
static __always_inline void ipft_lineage_hit(struct ipft_live *t, struct sk_buff *skb,
					     __u32 role, bool typed)
{
	struct ipft_lineage_state *l = &t->lin;

	if ((role & (IPFT_ROLE_START | IPFT_ROLE_RX)) == IPFT_ROLE_START ||
	    (role & IPFT_ROLE_XMIT)) {
		/* Read back from the entry: a number, where a typed skb's
		 * pointer is one the verifier would not hash. */
		l->head = (__u64)SKB_READ(typed, skb, head);
		ipft_note_head(*(volatile __u64 *)&l->head, t, (__u64)skb, role & IPFT_ROLE_START);
	}
	if (role & (IPFT_ROLE_RX | IPFT_ROLE_RX_CORE))
		l->queued = 0;
	else if (role & IPFT_ROLE_START)
		l->queued = 1;
	if (role & IPFT_ROLE_XMIT) {
		l->in_driver = 1;
		l->handed = 1;
		l->head = (__u64)SKB_READ(typed, skb, head);
		l->protocol = SKB_READ(typed, skb, protocol);
	} else if (role & IPFT_ROLE_XMIT_DONE) {
		l->in_driver = 0;
	} else if (role & IPFT_ROLE_RX_CORE) {
		unsigned char *head = SKB_READ(typed, skb, head);

		l->head = (__u64)head;
		l->data_off = (__u32)(SKB_READ(typed, skb, data) - head);
		l->protocol = SKB_READ(typed, skb, protocol);
	}
	if ((role & (IPFT_ROLE_START | IPFT_ROLE_RX)) == (IPFT_ROLE_START | IPFT_ROLE_RX))
		l->handed = 0;
}

/* At net_dev_start_xmit: an skb that did not pass net_dev_queue since it
 * was last received is a new one at a reused address (a segment made by
 * validate_xmit_skb: GSO segments enter the trace there), not the
 * packet whose free went unseen. */
static __always_inline bool ipft_lineage_new_at_xmit(const struct ipft_live *t, __u32 role)
{
	return (role & IPFT_ROLE_XMIT) && t->rx_seen && !t->lin.queued;
}

/* At any hit: an skb that a driver or the stack took as a network
 * packet (skb->protocol set) and now has no protocol is a new one at a
 * reused address: a Netlink or Unix socket's, met at a socket read or a
 * free (TCP frees many of its skbs with no tracepoint).  The kernel does
 * not clear the protocol of a packet it holds. */
static __always_inline bool ipft_lineage_not_a_packet_now(const struct ipft_live *t,
							  struct sk_buff *skb, bool typed)
{
	return t->lin.protocol && !SKB_READ(typed, skb, protocol);
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

/* ---- reassembly -------------------------------------------------------- */

#define IPFT_REASM_READ 72 /* IPv6's fixed header and 32 bytes of extension headers */

/* A received IP fragment reassembled: ip_defrag (ip6_frag_reasm) makes
 * the datagram in the skb of the fragment that came last (skb_morph),
 * whose IP header then says a whole datagram: IPv4 no MF and offset 0;
 * IPv6 no fragment header after the extension headers that go before it
 * (removed, its next header moved into the header before it).  No
 * tracepoint sits between the receive and the reassembly, so it shows at
 * that skb's next hit, wherever the datagram goes (icmp_send, a socket,
 * its free): from there on it is a packet of its own, derived from that
 * fragment.  The header is read only at hits of packets that were
 * fragments, after a receive. */
static __always_inline bool ipft_lineage_reassembled(const struct ipft_live *t,
						     struct sk_buff *skb, bool typed)
{
	unsigned char *head;
	__u8 ip[IPFT_REASM_READ], nh;
	__u16 net;

	if (!t->lin.frag || !t->rx_seen)
		return false;
	head = SKB_READ(typed, skb, head);
	net = SKB_READ(typed, skb, network_header);
	if (net == SKB_HEADER_UNSET || bpf_probe_read_kernel(ip, sizeof(ip), head + net) < 0)
		return false;
	if (ip[0] >> 4 == 6) { /* not known when the extension headers are not all read */
		ipft_ip6_walk(ip, 0, sizeof(ip), &nh);
		return nh != 44 && !ipft_ip6_ext(nh);
	}
	return ip[0] >> 4 == 4 && !(((ip[6] << 8) | ip[7]) & 0x3fff);
}

/* ---- header snapshots ------------------------------------------------ */

/* A packet's headers are captured once, where they are first set; they
 * change on the way where an address translation rewrites them, a tunnel
 * encapsulates or decapsulates the packet, or forwarding rebuilds its
 * Ethernet header.  At the attach points where such a change shows (where
 * packets start: net_dev_queue after forwarding, translation or
 * encapsulation, the receive entries after decapsulation) the headers are
 * compared with those last sent, by a hash of what such a change
 * rewrites, and sent again, as a snapshot, when it differs.  TTL, checksums, lengths and
 * IP ids are left out: they change on every hop or on their own. */

/* After the header capture of a hit: the first capture's key is kept, and
 * where packets start (net_dev_queue, the receive entries) headers that
 * changed since are sent again.  Not at the frees: a free no tracepoint
 * saw can leave the entry to another skb freed later at the same address,
 * even with the same data buffer (TCP's retransmission queue: skb and
 * buffer recycled together), whose headers are another packet's; and a
 * rewrite on local delivery (DNAT to a local port) is not seen. */
static __always_inline void ipft_lineage_snapshot(struct ipft_live *t, struct sk_buff *skb,
						  __u64 ident, bool typed, bool *lost,
						  const struct ipft_hdr_key *first)
{
	struct ipft_lineage_state *l = &t->lin;
	struct ipft_hdr_key k;

	/* A driver handing the skb on (veth into its peer's receive entry)
	 * leaves the headers as they were at its net_dev_queue. */
	if (!t->captured || (l->snaps && !((ident >> 32) & IPFT_ROLE_START)) ||
	    (l->snaps && ((ident >> 32) & IPFT_ROLE_RX) && l->in_driver) ||
	    l->snaps > IPFT_SNAPSHOTS_MAX)
		return;
	/* The first capture's key, from the bytes it copied if it could. */
	if (!l->snaps && first->valid)
		k = *first;
	else if (!ipft_hdr_key(skb, typed, &k))
		return;
	if (l->snaps && (k.l3 != l->key_l3 || (k.eth && l->has_l2 && k.l2 != l->key_l2))) {
		if (!send_capture(skb, typed, t->packet_id, t->first_ts, (__u32)ident, l->snaps,
				  lost, NULL))
			return;
		l->snaps++;
	}
	if (!l->snaps)
		l->snaps = 1; /* the first capture, just sent */
	l->key_l3 = k.l3;
	if (k.frag)
		l->frag = 1;
	if (k.eth) {
		l->key_l2 = k.l2;
		l->has_l2 = 1;
	}
}

#endif
