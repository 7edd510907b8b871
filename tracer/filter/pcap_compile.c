/* pcap_compile.c - compile a pcap-filter expression with libpcap. */
#include "tracer/filter/pcap_compile.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ipft_pcap_compile(const char *expr, int l3, struct sock_filter **out, size_t *n,
		      char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(l3 ? DLT_RAW : DLT_EN10MB, 65535);
	struct bpf_program prog;
	int rc = -1;

	if (!dead) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
	} else {
		*out = malloc(prog.bf_len * sizeof(**out));
		if (*out) {
			/* struct bpf_insn and struct sock_filter have one layout. */
			memcpy(*out, prog.bf_insns, prog.bf_len * sizeof(**out));
			*n = prog.bf_len;
			rc = 0;
		} else {
			snprintf(err, errlen, "out of memory");
		}
		pcap_freecode(&prog);
	}
	pcap_close(dead);
	return rc;
}
