/* pcap_filter.bpf.h - where a pcap-filter expression runs in the kernel.
 *
 * For an skb not tracked yet, ipft_pcap_filter() copies up to
 * IPFT_PCAP_BUF bytes of the packet into a per-CPU buffer, from the MAC
 * header when it is valid (the expression's L2 variant runs) or else from
 * the network header (the L3 variant runs).  The two variants are the
 * subprograms ipft_pcap_run_l2/l3: in this object each is three
 * instructions, a marker constant loaded into r0 and exit, and the tracer
 * (tracer/filter.c) rewrites them, in every program it loads, into a call
 * to the translated expression appended at the end of the program
 * (tracer/cbpf_xlat.c).  Unrewritten they return the marker: a match.
 * cfg_pcap_filter guards the call, so without an expression none of this
 * is loaded.
 */
#ifndef IPFT_PCAP_FILTER_BPF_H
#define IPFT_PCAP_FILTER_BPF_H

#define IPFT_PCAP_BUF 512 /* == the translator's buf_max (tracer/filter.c) */
#define IPFT_PCAP_MARK_L2 0x1badc0de0f117e12ULL
#define IPFT_PCAP_MARK_L3 0x1badc0de0f117e13ULL

struct ipft_pcap_bytes {
	__u8 b[IPFT_PCAP_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct ipft_pcap_bytes);
	__uint(max_entries, 1);
} pcap_buf SEC(".maps");

/* r1 = bytes, r2 = captured length, r3 = wire length -> r0 = verdict. */
static __attribute__((noinline)) int ipft_pcap_run_l2(void *buf, __u32 caplen, __u32 wirelen)
{
	__u64 v;

	asm volatile("%0 = 0x1badc0de0f117e12 ll" : "=r"(v) : "r"(buf), "r"(caplen), "r"(wirelen));
	return (int)v;
}

static __attribute__((noinline)) int ipft_pcap_run_l3(void *buf, __u32 caplen, __u32 wirelen)
{
	__u64 v;

	asm volatile("%0 = 0x1badc0de0f117e13 ll" : "=r"(v) : "r"(buf), "r"(caplen), "r"(wirelen));
	return (int)v;
}

static __always_inline bool ipft_pcap_filter(struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head), *data = BPF_CORE_READ(skb, data);
	__u16 mac = BPF_CORE_READ(skb, mac_header), net = BPF_CORE_READ(skb, network_header);
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	__u16 dev_type = dev ? BPF_CORE_READ(dev, type) : 0;
	struct ipft_pcap_bytes *buf;
	unsigned char *start;
	__s64 avail, wire;
	__u32 key = 0, caplen;
	bool l2;

	if (mac != (__u16)~0U && net != (__u16)~0U && net - mac == 14 &&
	    (dev_type == 1 /* ARPHRD_ETHER */ || dev_type == 772 /* ARPHRD_LOOPBACK */)) {
		start = head + mac;
		l2 = true;
	} else if (net != (__u16)~0U) {
		start = head + net;
		l2 = false;
	} else {
		return false; /* no header to judge yet */
	}
	avail = (__s64)(head + BPF_CORE_READ(skb, tail) - start);
	wire = (__s64)BPF_CORE_READ(skb, len) + (data - start);
	if (avail <= 0 || wire <= 0)
		return false;
	buf = bpf_map_lookup_elem(&pcap_buf, &key);
	if (!buf)
		return false;
	caplen = avail > IPFT_PCAP_BUF ? IPFT_PCAP_BUF : (__u32)avail;
	if (bpf_probe_read_kernel(buf->b, ipft_bound(caplen, IPFT_PCAP_BUF), start) < 0)
		return false;
	return l2 ? ipft_pcap_run_l2(buf->b, caplen, (__u32)wire) != 0 :
		    ipft_pcap_run_l3(buf->b, caplen, (__u32)wire) != 0;
}

#endif
