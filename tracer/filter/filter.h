/* filter.h - pcap-filter expressions in the kernel (tracer/filter/filter.c). */
#ifndef IPFT_FILTER_H
#define IPFT_FILTER_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

struct ipft_config;

/* Compiles and translates cfg->filter_expr, before anything is loaded;
 * 0 or -1 with a one-line message (libpcap's for a bad expression). */
int ipft_filter_check(const struct ipft_config *cfg, char *err, size_t errlen);
bool ipft_filter_active(const struct ipft_config *cfg);
/* Copies a template's instructions into *out (malloc'ed), rewriting the
 * filter subprogram when a filter is active.  0 or -1. */
int ipft_filter_splice(const struct bpf_insn *in, size_t n, struct bpf_insn **out,
		       size_t *nout, char *err, size_t errlen);

#endif
