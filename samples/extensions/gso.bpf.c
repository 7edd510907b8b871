// SPDX-License-Identifier: GPL-2.0
/* gso.bpf.c - an ipft extension (ipft -e gso.bpf.o): the skb's length
 * and its segmentation offload state at each event of a packet.
 *
 *   clang -target bpf -O2 -g -c gso.bpf.c -o gso.bpf.o
 *   ipft -e gso.bpf.o -o aggregate 'tcp port 5201'
 *
 * Written for ipft against ipftrace2's extension interface
 * (<ipft/extension.h>), so ipftrace2 loads it too.
 */
#include <ipft/extension.h>

/* The kernel's SKB_GSO_* bits (include/linux/skbuff.h), named as ipft's
 * meta collector names them; only the names are read (from BTF).  6.x
 * kernels number them so; a bit a kernel moved (tcp_fixedid, bit 30 in
 * 6.18) shows as its value, 0x40000000. */
enum gso_type_bits {
	tcpv4 = 1 << 0,
	dodgy = 1 << 1,
	tcp_ecn = 1 << 2,
	tcp_fixedid = 1 << 3,
	tcpv6 = 1 << 4,
	fcoe = 1 << 5,
	gre = 1 << 6,
	gre_csum = 1 << 7,
	ipxip4 = 1 << 8,
	ipxip6 = 1 << 9,
	udp_tunnel = 1 << 10,
	udp_tunnel_csum = 1 << 11,
	partial = 1 << 12,
	tunnel_remcsum = 1 << 13,
	sctp = 1 << 14,
	esp = 1 << 15,
	udp = 1 << 16,
	udp_l4 = 1 << 17,
	fraglist = 1 << 18,
	tcp_accecn = 1 << 19,
} __ipft_ref(gso_type_names);

struct gso_event {
	__u32 len;
	__u16 gso_size;
	__u16 gso_segs;
	__u32 gso_type __ipft_fmt_enum_flags(gso_type_names);
} __ipft_event_struct;

IPFT_CHECK_EVENT(struct gso_event);

/* The fields read, by name: CO-RE finds them in the running kernel. */
struct sk_buff {
	unsigned int len;
	unsigned char *head;
	unsigned int end;     /* an offset from head on 64-bit kernels */
} __attribute__((preserve_access_index));

struct skb_shared_info {
	unsigned short gso_size;
	unsigned short gso_segs;
	unsigned int gso_type;
} __attribute__((preserve_access_index));

IPFT_MODULE(ctx, skb, data)
{
	struct gso_event *ev = (struct gso_event *)data;
	/* skb_shinfo(skb): the shared info sits at the end of the buffer. */
	struct skb_shared_info *shinfo =
		(struct skb_shared_info *)(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, end));

	ev->len = BPF_CORE_READ(skb, len);
	ev->gso_size = BPF_CORE_READ(shinfo, gso_size);
	ev->gso_segs = BPF_CORE_READ(shinfo, gso_segs);
	ev->gso_type = BPF_CORE_READ(shinfo, gso_type);
	return 0;
}
