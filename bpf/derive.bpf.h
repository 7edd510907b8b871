/* derive.bpf.h - new skbs made from a traced packet, seen where the
 * function that makes them returns (fexit: -t function_graph; a return
 * probe: -t function, bpf/backends/kprobe_common.bpf.h).
 *
 * skb_clone returns a clone (the data shared), skb_copy and its kin a
 * copy (data of its own), skb_segment the list of segments it cut from its
 * argument.  Each is a packet of its own from there on, linked to the one
 * it came from by a LINEAGE record sent before its first hit, and followed
 * whatever the filters say: it is that packet's descendant.  This sees
 * every clone (TCP's transmit clones, a tap's, a bridge's flood) and the
 * segments of any protocol, which the tracepoints alone cannot
 * (bpf/lineage.bpf.h: clones by a shared data buffer; user space: TCP
 * segments by their sequence numbers).  GRO's merges are seen the same
 * way (ipft_merged), the fragments' reassembly (ipft_reassembled), and a
 * data buffer reallocated under a traced packet (ipft_realloced).
 * The roles are set by
 * tracer/probes/function_role.c; a function without one costs nothing
 * here (the role is a constant the verifier prunes on).
 *
 * Included by the function backends' headers after bpf/skb_event.bpf.h.
 */
#ifndef IPFT_DERIVE_BPF_H
#define IPFT_DERIVE_BPF_H

#define IPFT_SEGMENTS_MAX 64 /* a 64 KB super-packet cut at 1 KB */
#define IPFT_ERR_PTR_MIN ((__u64)-4095) /* ERR_PTR(-errno): no skb */

/* The new skb at child, made from the traced packet parent_id.  evict: a
 * full map makes room (not in the segments' loop, whose every turn the
 * verifier walks: there a full map loses the segment, counted). */
/* ipft_derive_one()'s how: the lineage kind, the segment's index, and
 * whether a full map may end its oldest packet for this one. */
#define IPFT_DERIVE_INDEX_SHIFT 8
#define IPFT_DERIVE_EVICT (1u << 31)

/* The child skb starts a packet of its own, linked to its parent's.  A
 * global function, verified once per program (bpf/hdr_key.bpf.h says
 * why): inlined in the loop over a GSO skb's segments, the verifier
 * walked its every path once per iteration, and a kprobe return program
 * was 80 000 instructions to verify. */
__attribute__((noinline)) int ipft_derive_one(__u64 child, __u64 parent_id, __u32 how, __u64 now)
{
	struct ipft_live *t;
	__u32 kind = how & 0xff, index = (how & ~IPFT_DERIVE_EVICT) >> IPFT_DERIVE_INDEX_SHIFT;

	asm volatile("r0 = " IPFT_STRINGIFY(IPFT_MARK_DERIVE_FUNC) " ll" ::: "r0");
	t = bpf_map_lookup_elem(&live, &child);

	/* Still tracked at a fresh allocation: the old packet's callers are
	 * returning from its free, or its free went unseen. */
	if (t) {
		if (t->freeing)
			end_trace(child, t);
		else
			retire(child, t, IPFT_STAT_STALE);
	}
	t = start_packet_in(child, now, how & IPFT_DERIVE_EVICT);
	if (t)
		ipft_lineage_link(t, parent_id, kind, index);
	return 0;
}

/* At the return of a function with an IPFT_ROLE_MAKES_* role: ret is what
 * it made from the skb parent.  Not in trigger mode: a held packet's link
 * would leave the kernel before it. */
static __always_inline void ipft_derive(struct sk_buff *parent, __u64 ret, __u32 role)
{
	__u64 key = (__u64)parent, now, seg = ret, parent_id;
	struct ipft_live *p;

	if (!(role & IPFT_ROLE_MAKES) || !ret || ret >= IPFT_ERR_PTR_MIN || cfg.trigger)
		return;
	p = bpf_map_lookup_elem(&live, &key);
	if (!p)
		return;
	parent_id = p->packet_id;
	now = bpf_ktime_get_ns();
	if (!(role & IPFT_ROLE_MAKES_SEGMENTS)) {
		ipft_derive_one(ret, parent_id,
				(role & IPFT_ROLE_MAKES_CLONE ? IPFT_LINEAGE_CLONE : IPFT_LINEAGE_COPY) |
					IPFT_DERIVE_EVICT,
				now);
		return;
	}
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < IPFT_SEGMENTS_MAX && seg; i++) {
		ipft_derive_one(seg, parent_id, IPFT_LINEAGE_SEGMENT | i << IPFT_DERIVE_INDEX_SHIFT,
				now);
		if (bpf_probe_read_kernel(&seg, sizeof(seg), &((struct sk_buff *)seg)->next) < 0)
			break;
	}
}

/* skb_gro_receive(into, merged) returned 0 (IPFT_ROLE_MERGES): merged is
 * in into now, the packet GRO builds, which carries its data on.  A
 * traced merged skb says into which packet (lineage merged, its parent),
 * and its trace ends with the calls it is in: what is left of it is freed
 * where no probe may be (napi_skb_free_stolen_head). */
static __always_inline void ipft_merge(__u64 into, __u64 merged, __s32 ret, __u32 role)
{
	struct ipft_live *p, *m;

	if (!(role & IPFT_ROLE_MERGES) || ret || cfg.trigger)
		return;
	m = bpf_map_lookup_elem(&live, &merged);
	p = bpf_map_lookup_elem(&live, &into);
	if (!m || !p || m == p)
		return;
	ipft_lineage_link(m, p->packet_id, IPFT_LINEAGE_MERGED, 0);
	if (m->depth)
		m->freeing = 1;
	else
		end_trace(merged, m);
}

/* A function with an IPFT_ROLE_REASSEMBLES* role returned that the
 * fragment at skb now holds its whole datagram (the queue's fragments
 * morphed into the one that came last).  From here on that skb is the
 * datagram, a packet of its own derived from the fragment (as
 * bpf/lineage.bpf.h's ipft_lineage_reassembled() finds at the next
 * tracepoint, which is not always there: functions traced alone, or
 * calls that have not returned).  It starts at the depth of the calls it
 * is in, whose returns it then shows. */
static __always_inline void ipft_reassembled(__u64 skb, __s32 ret, __u32 role)
{
	struct ipft_live *t;
	__u64 from, now;
	__u8 depth;

	if (!(role & IPFT_ROLE_REASSEMBLES_ANY) || cfg.trigger ||
	    ret != ((role & IPFT_ROLE_REASSEMBLES_RET1) ? 1 : 0))
		return;
	t = bpf_map_lookup_elem(&live, &skb);
	if (!t)
		return;
	from = t->packet_id;
	depth = t->depth;
	now = bpf_ktime_get_ns();
	end_trace(skb, t);
	t = start_packet_in(skb, now, true);
	if (!t)
		return;
	t->depth = depth;
	ipft_lineage_link(t, from, IPFT_LINEAGE_REASSEMBLED, 0);
}

/* An fexit's second argument, into *arg; false if unread.  Not a load
 * from ctx[1], which the verifier refuses in the programs of functions of
 * one argument should it walk the caller's branch; and the address made
 * in asm, which the compiler cannot share with a load of the skb at
 * ctx[1] (a modified ctx pointer, refused too). */
static __always_inline bool fexit_second_arg(__u64 *ctx, __u64 *arg)
{
	__u64 at = (__u64)ctx;

	asm volatile("%0 += 8" : "+r"(at));
	return bpf_probe_read_kernel(arg, sizeof(*arg), (void *)at) == 0;
}

/* The same at an fexit, whose context holds the arguments. */
static __always_inline void ipft_merged(__u64 *ctx, __s32 ret, __u32 role)
{
	__u64 merged;

	if (!(role & IPFT_ROLE_MERGES) || ret || cfg.trigger || !fexit_second_arg(ctx, &merged))
		return;
	ipft_merge(ctx[0], merged, ret, role);
}

/* pskb_expand_head(skb, nhead, ...) returned 0 (IPFT_ROLE_REALLOCS):
 * skb's data buffer moved, with nhead bytes more before the data.  The
 * packet is the same (it is followed by its skb's address), but what
 * bpf/lineage.bpf.h noted of its buffer moved with it: the head a clone
 * made now would share (noted while the packet is queued to a device),
 * and the head and data offset that tell a decapsulated skb from a new
 * one (ipft_lineage_same_skb()). */
static __always_inline void ipft_realloced(__u64 skb, __u64 nhead, __s32 ret, __u32 role)
{
	struct ipft_head_ref *r;
	struct ipft_live *t;
	__u64 head;

	if (!(role & IPFT_ROLE_REALLOCS) || ret)
		return;
	t = bpf_map_lookup_elem(&live, &skb);
	if (!t || !t->lin.head ||
	    bpf_probe_read_kernel(&head, sizeof(head), &((struct sk_buff *)skb)->head) < 0)
		return;
	r = ipft_head_slot(t->lin.head);
	if (r && r->head == t->lin.head && r->packet_id == t->packet_id) {
		r->head = 0;
		ipft_note_head(head, t, skb, true);
	}
	t->lin.head = head;
	t->lin.data_off += (__u32)nhead;
}

/* The same at an fexit. */
static __always_inline void ipft_realloced_fexit(__u64 *ctx, __s32 ret, __u32 role)
{
	__u64 nhead;

	if ((role & IPFT_ROLE_REALLOCS) && !ret && fexit_second_arg(ctx, &nhead))
		ipft_realloced(ctx[0], nhead, ret, role);
}

#endif
