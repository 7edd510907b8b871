/* pcap_filter.bpf.h - where a pcap-filter expression runs in the kernel.
 *
 * ipft_pcap_filter() is a subprogram the tracer rewrites before loading
 * when the user gives an expression (tracer/filter.c): its body starts
 * with a marker constant, and the rewrite replaces the body with the
 * expression's translated code.  Unrewritten, it matches every packet.
 * It runs only for skbs not tracked yet (cfg_pcap_filter guards the call).
 */
#ifndef IPFT_PCAP_FILTER_BPF_H
#define IPFT_PCAP_FILTER_BPF_H

static __attribute__((noinline)) int ipft_pcap_filter(struct sk_buff *skb)
{
	__u64 verdict;

	asm volatile("%0 = 0x1badc0de0f117e12 ll" : "=r"(verdict) : "r"(skb));
	return verdict != 0;
}

#endif
