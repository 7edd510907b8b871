/* filter_check.c - Wireshark checks the capture filter as the user types
 * it: empty output means valid, otherwise the first line is shown.  The
 * verdict is ipft's own, without privileges: libpcap compiles the
 * expression for Ethernet (tracer/filter/pcap_compile.c) and ipft's
 * translator takes the program to eBPF (tracer/filter/cbpf_xlat.c). */
#include "extcap/steps.h"
#include <linux/types.h> /* before ipft_shared.h, which uses them */
#include "bpf/ipft_shared.h"
#include "tracer/filter/cbpf_xlat.h"
#include "tracer/filter/pcap_compile.h"

#include <stdio.h>
#include <stdlib.h>

int xc_check_filter(const struct xc_request *rq)
{
	struct sock_filter *prog = NULL;
	struct bpf_insn *ebpf = NULL;
	size_t n = 0, n_ebpf = 0;
	char err[512];

	if (!rq->capture_filter[0])
		return 0;
	if (ipft_pcap_compile(rq->capture_filter, 0, &prog, &n, err, sizeof(err)) < 0 ||
	    ipft_cbpf_xlat(prog, n, IPFT_PCAP_BUF, &ebpf, &n_ebpf, err, sizeof(err)) < 0)
		printf("%s\n", err);
	free(prog);
	free(ebpf);
	return 0;
}
