/* func_addr.h - the traced functions' addresses, for kernels whose
 * programs cannot ask for them (no bpf_get_func_ip before 5.15): the
 * loader patches each function's clone with its address
 * (struct ipft_clone_opts.func_addr). */
#ifndef IPFT_FUNC_ADDR_H
#define IPFT_FUNC_ADDR_H

#include "tracer/probes/probe.h"

struct ipft_kallsyms;

/* Sets each probe's addr from the table ksyms of /proc/kallsyms, the one
 * ipft reads for its stacks and drop locations (read here if NULL; 0
 * where it has none, or hides addresses); 0, or -1 when out of memory. */
int ipft_func_addrs(const struct ipft_kallsyms *ksyms, struct ipft_probe **probes, size_t n);

#endif
