/* func_addr.c - the traced functions' addresses from /proc/kallsyms. */
#include "tracer/backends/func_addr.h"
#include "tracer/kernel/kallsyms.h"

#include <stdlib.h>

int ipft_func_addrs(const struct ipft_kallsyms *ksyms, struct ipft_probe **probes, size_t n)
{
	/* The second read of the file would cost what the first did: several
	 * tenths of a second of the kernel's time under emulation. */
	struct ipft_kallsyms *own = ksyms ? NULL : ipft_kallsyms_load();
	const struct ipft_kallsyms *k = ksyms ? ksyms : own;
	const char **names = calloc(n ? n : 1, sizeof(*names));
	uint64_t *addrs = calloc(n ? n : 1, sizeof(*addrs));
	int rc = -1;

	if (names && addrs) {
		for (size_t i = 0; i < n; i++)
			names[i] = probes[i]->name;
		rc = ipft_kallsyms_addrs(k, names, n, addrs);
		for (size_t i = 0; rc == 0 && i < n; i++)
			probes[i]->addr = addrs[i];
	}
	free(names);
	free(addrs);
	ipft_kallsyms_free(own);
	return rc;
}
