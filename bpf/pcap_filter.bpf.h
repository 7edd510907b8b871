/* pcap_filter.bpf.h - where a pcap-filter expression runs in the kernel.
 *
 * ipft_pcap_filter() is a subprogram the tracer rewrites before loading
 * when the user gives an expression (tracer/filter.c): its body starts
 * with a marker constant, and the rewrite replaces the body with the
 * expression's translated code.  Unrewritten, it matches every packet.
 * It runs only for skbs not tracked yet (cfg_pcap_filter guards the call).
 *
 * For the rewrite (tracer/filter.c, ipft_filter_splice(), called by
 * ipft_prog_clone() for every program loaded): in a template's relocated
 * instructions (bpf_program__insns()) this subprogram is appended after
 * the main program; its body begins with the ld_imm64 of
 * IPFT_PCAP_FILTER_MARK (two instructions: imm = 0x0f117e12, next imm =
 * 0x1badc0de) with r1 = skb on entry, and it returns r0 = 0 (drop) or
 * non-zero (match).  The splice replaces everything from the marker to the
 * end of the subprogram and fixes the callers' relative call offsets if
 * the subprogram is not the last one.  Owned by the filter work.
 */
#ifndef IPFT_PCAP_FILTER_BPF_H
#define IPFT_PCAP_FILTER_BPF_H

#define IPFT_PCAP_FILTER_MARK 0x1badc0de0f117e12ULL

static __attribute__((noinline)) int ipft_pcap_filter(struct sk_buff *skb)
{
	__u64 verdict;

	asm volatile("%0 = 0x1badc0de0f117e12 ll" : "=r"(verdict) : "r"(skb));
	return verdict != 0;
}

#endif
