/* pcap_side.c - compile and interpret filters with libpcap itself. */
#include "tests/filter/pcap_side.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

struct handle {
	struct bpf_program prog;
};

void *pcap_side_compile(const char *expr, int l3, char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(l3 ? DLT_RAW : DLT_EN10MB, 65535);
	struct handle *h = calloc(1, sizeof(*h));

	if (!dead || !h || pcap_compile(dead, &h->prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", dead ? pcap_geterr(dead) : "out of memory");
		free(h);
		h = NULL;
	}
	if (dead)
		pcap_close(dead);
	return h;
}

const struct sock_filter *pcap_side_insns(void *h, size_t *n)
{
	struct handle *p = h;
	*n = p->prog.bf_len;
	return (const struct sock_filter *)p->prog.bf_insns; /* same layout */
}

unsigned pcap_side_filter(void *h, const unsigned char *pkt, unsigned wirelen, unsigned buflen)
{
	struct handle *p = h;
	return bpf_filter(p->prog.bf_insns, pkt, wirelen, buflen);
}

void pcap_side_free(void *h)
{
	struct handle *p = h;
	if (p)
		pcap_freecode(&p->prog);
	free(p);
}
