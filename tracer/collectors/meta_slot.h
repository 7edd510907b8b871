/* meta_slot.h - the meta collector's data slots, as its BPF side
 * (meta.bpf.h) writes them and the tracer (meta.c) reads them.
 *
 * skb->len and ->data_len change at most hits (headers pushed and
 * pulled): they ride in the hit slot itself (struct ipft_slot.skb), at no
 * cost in bytes.  The rest changes rarely, so it is sent in a data slot
 * only at a hit where it differs from what this packet last sent: the
 * device (a veth hop, a namespace change), and what the skb is (mark,
 * protocol, packet type, clone, gso).  A packet's first hit sends both;
 * where the packet's first capture (struct ipft_capture) goes out at that
 * same hit, it already holds the device, and only the skb slot is sent,
 * saying so (IPFT_META_SKB_DEV_IN_CAPTURE).  A later hit whose skb has
 * lost its device sends none: the device stays the last one it had.
 *
 * Included by BPF code and by the tracer (after <linux/types.h>).
 */
#ifndef IPFT_META_SLOT_H
#define IPFT_META_SLOT_H

/* IPFT_DATA_META_DEV: where the skb is. */
struct ipft_meta_dev {
	char ifname[16];      /* "" without a device */
	__u32 ifindex;        /* 0 without a device */
	__u32 netns;          /* inode of the device's namespace, else its socket's */
	__u8 pad[6];
	__u8 kind;            /* IPFT_DATA_META_DEV */
	__u8 aux;
};

/* IPFT_DATA_META_SKB: what the skb is.  Its first 16 bytes are compared
 * with what was sent last, as two words. */
struct ipft_meta_skb {
	__u32 mark;
	__u32 gso_type;       /* SKB_GSO_* bits; 0 when gso_size is 0 */
	__u16 gso_size;
	__u16 gso_segs;
	__be16 protocol;      /* network order */
	__u8 pkt_type;        /* PACKET_HOST, ... */
	__u8 cloned;
	__u8 pad[14];
	__u8 kind;            /* IPFT_DATA_META_SKB */
	__u8 aux;             /* IPFT_META_SKB_* */
};

/* aux: the device at this hit is the packet's first capture's (its
 * ifname, ifindex and netns), sent at this hit; no IPFT_DATA_META_DEV. */
#define IPFT_META_SKB_DEV_IN_CAPTURE 0x1

#define IPFT_META_SKB_WORDS 2

/* What the packet last sent (struct ipft_live, never sent itself). */
struct ipft_meta_prev {
	__u64 dev;            /* the struct net_device * of the last IPFT_DATA_META_DEV */
	__u64 skb[IPFT_META_SKB_WORDS];
	__u8 valid;           /* dev and skb hold what was sent */
	__u8 pad[7];
};

#endif
