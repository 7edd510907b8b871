/* hdr_key.bpf.h - a hash of what rewrites a packet's headers.
 *
 * Header snapshots (bpf/lineage.bpf.h) compare a packet's headers with
 * those last sent by this key: addresses, protocol, ports (an ICMP echo's
 * id), and the Ethernet header apart.  TTL, checksums, lengths and IP ids
 * are left out: they change on every hop or on their own.  The key is
 * computed from IPFT_KEY_READ bytes from the MAC header (network header
 * when there is no Ethernet header): read from the skb, or, at the first
 * capture, from the bytes send_capture() just copied, which saves reading
 * them twice.
 *
 * Included by bpf/skb_event.bpf.h after SKB_READ.
 */
#ifndef IPFT_HDR_KEY_BPF_H
#define IPFT_HDR_KEY_BPF_H

/* Ethernet header, the longest IPv4 header and the ports; or IPv6's
 * fixed header, extension headers before a fragment header, and it. */
#define IPFT_KEY_READ 96

struct ipft_hdr_key {
	__u32 l3, l2;
	bool eth;
	bool frag;  /* an IP fragment */
	bool valid; /* set by capture_key(): the other fields hold a key */
};

static __always_inline __u32 ipft_mix(__u32 h, __u32 w)
{
	return (h ^ w) * 0x01000193u;
}

static __always_inline __u32 ipft_word(const __u8 *b, __u32 off)
{
	__u32 w;

	__builtin_memcpy(&w, b + off, 4);
	return w;
}

/* The transport bytes a translation rewrites: ports; an ICMP echo's id. */
static __always_inline __u32 ipft_l4_key(const __u8 *b, __u32 off, __u8 proto)
{
	if (proto == 6 || proto == 17 || proto == 132 || proto == 136)
		return ipft_word(b, off);
	if (proto == 1 || proto == 58)
		return ipft_word(b, off + 4) & 0xffff;
	return 0;
}

/* IPv4 at b + off (off 0 or ETH_HLEN): false if the header is short. */
static __always_inline bool ipft_ip4_key(const __u8 *b, __u32 off, __u32 *h, bool *is_frag)
{
	__u32 ihl = (b[off] & 15) * 4;
	__u32 frag = ((b[off + 6] << 8) | b[off + 7]) & 0x3fff; /* MF and offset */

	if (ihl < 20)
		return false;
	*is_frag = frag != 0;
	*h = ipft_mix(ipft_mix(ipft_mix(*h, b[off + 9] | frag << 8), ipft_word(b, off + 12)),
		      ipft_word(b, off + 16));
	if (!frag)
		*h = ipft_mix(*h, ipft_l4_key(b, ipft_bound(off + ihl, ETH_HLEN + 60), b[off + 9]));
	return true;
}

/* The extension headers an IPv6 sender puts before a fragment header
 * (ip6_find_1stfragopt(): hop-by-hop, destination options, routing),
 * walked in size bytes at b from the fixed header at off: the offset of
 * the header after them, and its number in *nh.  When they run past the
 * bytes or are more than IPFT_IP6_EXT_MAX, *nh is still an extension
 * header's number (ipft_ip6_ext()), and the offset is past size - 8. */
static __always_inline bool ipft_ip6_ext(__u8 nh)
{
	return IPFT_IP6_BEFORE_FRAGMENT(nh);
}

static __always_inline __u32 ipft_ip6_walk(const __u8 *b, __u32 off, __u32 size, __u8 *nh)
{
	__u32 pos = off + 40;

	*nh = b[off + 6];
#pragma unroll
	for (int i = 0; i < IPFT_IP6_EXT_MAX; i++) {
		if (!ipft_ip6_ext(*nh) || pos + 8 > size)
			break;
		pos = ipft_bound(pos, size - 8);
		*nh = b[pos];
		pos += (b[pos + 1] + 1) * 8;
	}
	return pos;
}

/* IPv6 at b + off: addresses, the header after the extension headers and
 * its ports.  A fragment header (after the headers above, as
 * ip6_fragment() puts it) keys no transport bytes. */
static __always_inline void ipft_ip6_key(const __u8 *b, __u32 off, __u32 *h, bool *is_frag)
{
	__u8 nh;
	__u32 l4 = ipft_ip6_walk(b, off, IPFT_KEY_READ, &nh);

	*is_frag = nh == IPFT_IP6_FRAGMENT;
	*h = ipft_mix(*h, nh);
	for (int i = 8; i < 40; i += 4)
		*h = ipft_mix(*h, ipft_word(b, off + i));
	if (l4 + 8 <= IPFT_KEY_READ)
		*h = ipft_mix(*h, ipft_l4_key(b, ipft_bound(l4, IPFT_KEY_READ - 8), nh));
}

/* The key of IPFT_KEY_READ header bytes at b, from the Ethernet header
 * if eth; false when they are not IP. */
static __always_inline bool ipft_key_of_bytes(const __u8 *b, bool eth, struct ipft_hdr_key *k)
{
	__u32 off = eth ? ETH_HLEN : 0, v = b[off] >> 4;

	k->eth = eth;
	k->l2 = eth ? ipft_mix(ipft_mix(ipft_word(b, 0), ipft_word(b, 4)), ipft_word(b, 8)) : 0;
	k->l3 = 0x811c9dc5u;
	k->frag = false;
	if (v == 6) {
		ipft_ip6_key(b, off, &k->l3, &k->frag);
		return true;
	}
	return v == 4 && ipft_ip4_key(b, off, &k->l3, &k->frag);
}

/* The bytes a key is computed from and the key, per CPU.  The key's code
 * branches on every header's shape: inlined, the verifier walked it once
 * for every path of the program that reaches it, two thirds of all it
 * verified.  As one global function it is verified once per program
 * (a clone's BTF says so: tracer/backends/clone_btf.c), and scalars are
 * all a global function takes on every kernel, hence the map.  A program
 * that interrupts another between the fill and the read (an IRQ's) can
 * change the key: a snapshot more or less, never a bad read. */
struct ipft_key_scratch {
	__u8 b[IPFT_KEY_READ];
	__u32 l3, l2;
	__u16 eth, frag;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct ipft_key_scratch);
	__uint(max_entries, 1);
} ipft_key_scratch SEC(".maps");

/* The key of this CPU's scratch bytes into its l3, l2, eth and frag:
 * whether they are IP.  Not static: a global function. */
__attribute__((noinline)) int ipft_key_compute(int eth)
{
	struct ipft_key_scratch *s;
	struct ipft_hdr_key k;
	__u32 zero = 0;

	asm volatile("r0 = " IPFT_STRINGIFY(IPFT_MARK_KEY_FUNC) " ll" ::: "r0");
	s = bpf_map_lookup_elem(&ipft_key_scratch, &zero);
	if (!s || !ipft_key_of_bytes(s->b, eth != 0, &k))
		return 0;
	s->l3 = k.l3;
	s->l2 = k.l2;
	s->eth = k.eth;
	s->frag = k.frag;
	return 1;
}

static __always_inline struct ipft_key_scratch *ipft_key_bytes(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&ipft_key_scratch, &zero);
}

/* The key ipft_key_compute() left in s. */
static __always_inline void ipft_key_take(const struct ipft_key_scratch *s,
					  struct ipft_hdr_key *k)
{
	k->eth = s->eth;
	k->l3 = s->l3;
	k->l2 = s->l2;
	k->frag = s->frag;
}

/* The key of the skb's headers now; false when they are not IP. */
static __always_inline bool ipft_hdr_key(struct sk_buff *skb, bool typed, struct ipft_hdr_key *k)
{
	unsigned char *head = SKB_READ(typed, skb, head);
	__u16 mac = SKB_READ(typed, skb, mac_header), net = SKB_READ(typed, skb, network_header);
	bool eth = ipft_eth_shaped(mac, net);
	struct ipft_key_scratch *s = ipft_key_bytes();

	if (!s || net == SKB_HEADER_UNSET ||
	    bpf_probe_read_kernel(s->b, sizeof(s->b), head + (eth ? mac : net)) < 0 ||
	    !ipft_key_compute(eth))
		return false;
	ipft_key_take(s, k);
	return true;
}

#endif
