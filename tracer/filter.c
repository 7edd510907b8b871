/* filter.c - pcap-filter expressions: not translated yet.
 *
 * The BPF side already calls ipft_pcap_filter() for new packets when
 * cfg_pcap_filter is set (bpf/pcap_filter.bpf.h); what is missing is the
 * translation of libpcap's classic BPF into that subprogram.  Until then an
 * expression is refused with a clear message rather than ignored.
 */
#include "tracer/filter.h"
#include "tracer/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ipft_filter_check(const struct ipft_config *cfg, char *err, size_t errlen)
{
	if (cfg->filter_expr) {
		snprintf(err, errlen, "pcap-filter expressions are not supported yet ('%s'); "
			 "use -m/--mask, -i or --netns to select packets", cfg->filter_expr);
		return -1;
	}
	return 0;
}

bool ipft_filter_active(const struct ipft_config *cfg)
{
	(void)cfg;
	return false;
}

int ipft_filter_splice(const struct bpf_insn *in, size_t n, struct bpf_insn **out,
		       size_t *nout, char *err, size_t errlen)
{
	*out = malloc(n * sizeof(*in));
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(*out, in, n * sizeof(*in));
	*nout = n;
	return 0;
}
