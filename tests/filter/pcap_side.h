/* pcap_side.h - the libpcap half of the differential test, in its own
 * file: libpcap's struct bpf_insn and the kernel's share a name. */
#ifndef IPFT_PCAP_SIDE_H
#define IPFT_PCAP_SIDE_H

#include <linux/filter.h>
#include <stddef.h>

/* Compiles expr for DLT_EN10MB (l3 = 0) or DLT_RAW (l3 = 1).  Returns a
 * handle, or NULL with libpcap's message in err. */
void *pcap_side_compile(const char *expr, int l3, char *err, size_t errlen);
const struct sock_filter *pcap_side_insns(void *h, size_t *n);
/* libpcap's own interpreter over the first buflen of wirelen bytes. */
unsigned pcap_side_filter(void *h, const unsigned char *pkt, unsigned wirelen, unsigned buflen);
void pcap_side_free(void *h);

#endif
