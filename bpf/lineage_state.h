/* lineage_state.h - what the kernel keeps of a tracked packet to follow
 * it across the changes of its skb and of its headers (bpf/lineage.bpf.h),
 * and the attach-point roles that tell it where the skb is.
 *
 * Included by bpf/ipft_event.h (the state lives in the tracking entry,
 * struct ipft_live.lin, past the slots: never sent), for BPF code and the
 * tracer, so it uses only __uN types.
 */
#ifndef IPFT_LINEAGE_STATE_H
#define IPFT_LINEAGE_STATE_H

/* IPFT_ROLE_* bits beside those of bpf/ipft_event.h, set by
 * tracer/backends/tracepoint.c: where an skb whose input interface was
 * cleared (skb_scrub_packet: a veth crossing, a tunnel) is still the
 * packet that was traced, and no new one at a reused address. */
#define IPFT_ROLE_XMIT      0x100 /* net_dev_start_xmit: a driver takes the skb */
#define IPFT_ROLE_XMIT_DONE 0x200 /* net_dev_xmit: the driver returned */
#define IPFT_ROLE_RX_CORE   0x400 /* netif_receive_skb: the stack takes the skb */

/* Set by tracer/probes/function_role.c: the function returns new skbs
 * made from its skb argument, linked where its fexit sees them
 * (bpf/derive.bpf.h, -t function_graph). */
#define IPFT_ROLE_MAKES_CLONE    0x20 /* skb_clone: the new skb shares the data */
#define IPFT_ROLE_MAKES_COPY     0x40 /* skb_copy, __pskb_copy_fclone, skb_copy_expand */
#define IPFT_ROLE_MAKES_SEGMENTS 0x80 /* skb_segment: a list of segments */
#define IPFT_ROLE_MAKES (IPFT_ROLE_MAKES_CLONE | IPFT_ROLE_MAKES_COPY | IPFT_ROLE_MAKES_SEGMENTS)
/* skb_gro_receive(p, skb): 0 returned is skb merged into p (GRO). */
#define IPFT_ROLE_MERGES 0x800
/* The function reassembles IP fragments: its skb argument holds the whole
 * datagram when it returns 0 (ip_defrag, nf_ct_frag6_gather) or, with
 * the second bit, 1 (ipv6_frag_rcv). */
#define IPFT_ROLE_REASSEMBLES      0x1000
#define IPFT_ROLE_REASSEMBLES_RET1 0x2000
#define IPFT_ROLE_REASSEMBLES_ANY (IPFT_ROLE_REASSEMBLES | IPFT_ROLE_REASSEMBLES_RET1)
/* pskb_expand_head(skb, nhead, ...): 0 returned is skb's data buffer
 * moved, nhead bytes more before the data. */
#define IPFT_ROLE_REALLOCS 0x4000
/* The roles whose return the lineage follows (bpf/derive.bpf.h). */
#define IPFT_ROLE_AT_RETURN \
	(IPFT_ROLE_MAKES | IPFT_ROLE_MERGES | IPFT_ROLE_REASSEMBLES_ANY | IPFT_ROLE_REALLOCS)

/* Header snapshots a packet may have besides its first capture: a packet
 * bounced between address translations still ends. */
#define IPFT_SNAPSHOTS_MAX 7

/* A ring-buffer record beside enum ipft_record_type: a new packet derived
 * from a traced one (bpf/lineage.bpf.h); sent before its first hits. */
#define IPFT_REC_LINEAGE 8

enum ipft_lineage_kind {
	IPFT_LINEAGE_CLONE = 1,       /* shares the parent's data buffer (skb_clone) */
	IPFT_LINEAGE_FRAGMENT = 2,    /* an IP fragment of the parent datagram */
	IPFT_LINEAGE_SEGMENT = 3,     /* a segment of the parent GSO packet */
	IPFT_LINEAGE_REASSEMBLED = 4, /* the datagram reassembled into the parent fragment's skb */
	IPFT_LINEAGE_COPY = 5,        /* a copy of the parent with data of its own (skb_copy) */
	IPFT_LINEAGE_MERGED = 6,      /* merged into the parent by GRO (skb_gro_receive) */
};

struct ipft_lineage_rec {
	__u32 type;           /* IPFT_REC_LINEAGE */
	__u32 kind;           /* enum ipft_lineage_kind */
	__u64 packet_id;      /* the new packet */
	__u64 first_ts;       /* its first hit */
	__u64 parent_id;
	__u32 index;          /* a segment's number, from 0 */
	__u32 pad;
};

/* Data buffers (skb->head) of traced packets, where a clone made now would
 * find its parent (bpf/lineage.bpf.h): a direct-mapped table. */
#define IPFT_HEADS 4096

struct ipft_head_ref {
	__u64 head;
	__u64 packet_id;
	__u64 skb;            /* the packet's skb: it is still tracked there */
};

struct ipft_lineage_state {
	__u64 head;       /* skb->head at the last driver or stack entry */
	__u32 data_off;   /* skb->data - skb->head at the last stack entry */
	__u8 in_driver;   /* inside a driver's transmit (XMIT, no XMIT_DONE yet) */
	__u8 handed;      /* given to a driver since its last receive entry */
	__u8 snaps;       /* headers sent: the first capture, then each snapshot */
	__u8 has_l2;      /* key_l2 holds Ethernet addresses */
	__u32 key_l3;     /* hash of the headers last sent: addresses, protocol, */
	__u32 key_l2;     /* ports, fragment; Ethernet addresses */
	__u8 queued;      /* passed net_dev_queue since it was last received */
	__u8 frag;        /* its headers were an IP fragment's */
	__u16 protocol;   /* skb->protocol where a driver or the stack took it */
	__u8 pad[4];
};

#endif
