/* pcap_compile.h - libpcap's compiler, kept apart: libpcap's struct
 * bpf_insn and the kernel's share a name. */
#ifndef IPFT_PCAP_COMPILE_H
#define IPFT_PCAP_COMPILE_H

#include <linux/filter.h>
#include <stddef.h>

/* Compiles expr for Ethernet (l3 = 0) or raw IP (l3 = 1) into a malloc'ed
 * copy of the classic BPF program.  0, or -1 with libpcap's message. */
int ipft_pcap_compile(const char *expr, int l3, struct sock_filter **out, size_t *n,
		      char *err, size_t errlen);

#endif
